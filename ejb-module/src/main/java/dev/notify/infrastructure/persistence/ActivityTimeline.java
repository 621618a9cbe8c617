package dev.notify.infrastructure.persistence;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import dev.notify.domain.PublishedEvent;
import dev.notify.persistence.ActivityRecord;

/** Each user's events, newest first, in pages. Runs in the caller's transaction. */
@ApplicationScoped
public class ActivityTimeline {

    @PersistenceContext(unitName = "notify")
    EntityManager em;

    /** One entry of a timeline; {@code position} orders it and serves as the page cursor. */
    public record Entry(long position, String eventId, String eventType, OffsetDateTime occurredAt, OffsetDateTime recordedAt) {
    }

    /** Native: a redelivered event must neither appear twice nor fail the transaction (ON CONFLICT). */
    public void append(PublishedEvent event) {
        em.createNativeQuery("""
                        INSERT INTO activity (user_id, event_id, event_type, occurred_at) VALUES (?1, ?2, ?3, ?4)
                        ON CONFLICT (user_id, event_id) DO NOTHING""")
                .setParameter(1, event.userId())
                .setParameter(2, event.eventId())
                .setParameter(3, event.eventType())
                .setParameter(4, event.timestamp())
                .executeUpdate();
    }

    /** Up to {@code limit} entries older than {@code before} (a position; null for the newest). */
    public List<Entry> page(String userId, Long before, int limit) {
        return em.createNamedQuery(ActivityRecord.PAGE, ActivityRecord.class)
                .setParameter("userId", userId)
                .setParameter("before", before == null ? Long.MAX_VALUE : before)
                .setMaxResults(limit)
                .getResultList().stream()
                .map(entry -> new Entry(entry.getPosition(), entry.getEventId(), entry.getEventType(),
                        Timestamps.utc(entry.getOccurredAt()), Timestamps.utc(entry.getRecordedAt())))
                .toList();
    }
}
