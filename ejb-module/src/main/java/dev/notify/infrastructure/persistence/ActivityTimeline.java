package dev.notify.infrastructure.persistence;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import dev.notify.domain.PublishedEvent;

/** Each user's events, newest first, in pages. Runs in the caller's transaction. */
@ApplicationScoped
public class ActivityTimeline {

    @PersistenceContext(unitName = "notify")
    EntityManager em;

    /** One entry of a timeline; {@code position} orders it and serves as the page cursor. */
    public record Entry(long position, String eventId, String eventType, OffsetDateTime occurredAt, OffsetDateTime recordedAt) {
    }

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
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT position, event_id, event_type, occurred_at, recorded_at FROM activity
                        WHERE user_id = ?1 AND position < ?2 ORDER BY position DESC LIMIT ?3""")
                .setParameter(1, userId)
                .setParameter(2, before == null ? Long.MAX_VALUE : before)
                .setParameter(3, limit)
                .getResultList();
        return rows.stream().map(row -> new Entry(((Number) row[0]).longValue(), (String) row[1], (String) row[2],
                Timestamps.offset(row[3]), Timestamps.offset(row[4]))).toList();
    }
}
