package dev.notify.infrastructure.persistence;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;

import dev.notify.domain.PublishedEvent;
import dev.notify.infrastructure.messaging.Messaging;
import dev.notify.persistence.EventRecord;
import dev.notify.persistence.EventStatus;

/**
 * Events and the idempotent-consumer table. Writes are native upserts: a duplicate must be seen
 * in the row count, not as a constraint violation, which would mark the JTA transaction
 * rollback-only and loop the duplicate until it is dead-lettered. Runs in the caller's transaction.
 */
@ApplicationScoped
public class EventStore {

    private static final String INSERT_EVENT = """
            INSERT INTO event (event_id, event_type, user_id, occurred_at, payload, metadata, status, processed_at, after_seq)
            VALUES (?1, ?2, ?3, ?4, CAST(?5 AS jsonb), CAST(NULLIF(?6, '') AS jsonb), ?7,
                    CASE WHEN ?7 = 'processed' THEN now() END, (SELECT max(seq) FROM event WHERE user_id = ?3))
            """;

    @PersistenceContext(unitName = "notify")
    EntityManager em;

    /**
     * Records an event accepted for publishing, and returns the row as stored (in the same
     * statement: no reading back); nothing when the event id is already known.
     */
    public Optional<EventRecord> recordAccepted(PublishedEvent event) {
        // native: the same event published twice must be told by the row count (ON CONFLICT), not fail the transaction
        @SuppressWarnings("unchecked")
        List<EventRecord> inserted = bind(em.createNativeQuery(INSERT_EVENT + "ON CONFLICT (event_id) DO NOTHING RETURNING *",
                EventRecord.class), event, EventStatus.ACCEPTED).getResultList();
        // a view of what was written, not managed: a batch would otherwise keep every event in the
        // persistence context, and check them all for changes before each of its statements
        inserted.forEach(em::detach);
        return inserted.stream().findFirst();
    }

    /**
     * Records an event as processed, whether or not it was accepted over REST first, and returns
     * its sequence number: the order of the user's notifications.
     */
    public long recordProcessed(PublishedEvent event) {
        // native: the event may have been accepted over REST or not (ON CONFLICT ... DO UPDATE), in one statement
        return (Long) bind(em.createNativeQuery(INSERT_EVENT
                        + "ON CONFLICT (event_id) DO UPDATE SET status = 'processed', processed_at = now() RETURNING seq", Long.class),
                event, EventStatus.PROCESSED).getSingleResult();
    }

    /**
     * Marks an accepted event that the router gave up on, so that it no longer holds back the
     * user's later notifications; its sequence number, or nothing when it was not waiting.
     */
    public Optional<Long> markDeadLettered(String eventId) {
        Optional<EventRecord> waiting = em.createNamedQuery(EventRecord.WITH_STATUS, EventRecord.class)
                .setParameter("eventId", eventId)
                .setParameter("status", EventStatus.ACCEPTED)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList()
                .stream()
                .findFirst();
        waiting.ifPresent(EventRecord::deadLettered);
        return waiting.map(EventRecord::getSeq);
    }

    /**
     * Accepted events that never reached the router, to be published again (the time is recorded,
     * and they are returned in their order): accepted, or last published again, at least
     * {@code after} ago, no longer waiting in the outbox, and not failed by the router in that time.
     * Their message went missing in a transaction whose broker side stayed in doubt after a crash.
     * Rows another sweep is taking are skipped.
     */
    public List<EventRecord> takeStalled(Duration after, int max) {
        List<EventRecord> stalled = Locks.forUpdateSkipLocked(em.createNamedQuery(EventRecord.STALLED, EventRecord.class))
                .setParameter("before", OffsetDateTime.now().minus(after))
                .setParameter("consumer", Messaging.ROUTER_SUBSCRIPTION)
                .setMaxResults(max)
                .getResultList();
        stalled.forEach(EventRecord::resent);
        return stalled;
    }

    /**
     * Claims an event for a consumer: true the first time, false for every later delivery of the
     * same event id, which the consumer then acknowledges without doing anything.
     */
    public boolean claim(String consumer, String eventId) {
        // native: a duplicate is told by the row count (ON CONFLICT); a constraint violation would doom the transaction
        return em.createNativeQuery("""
                        INSERT INTO processed_event (consumer, event_id) VALUES (?1, ?2)
                        ON CONFLICT DO NOTHING""")
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .executeUpdate() == 1;
    }

    /** The stored payload of an event, as JSON text. */
    public Optional<String> payload(String eventId) {
        return em.createNamedQuery(EventRecord.PAYLOAD, String.class)
                .setParameter("eventId", eventId)
                .getResultList().stream()
                .findFirst();
    }

    public Optional<EventRecord> find(String eventId) {
        return Optional.ofNullable(em.find(EventRecord.class, eventId));
    }

    private static Query bind(Query insert, PublishedEvent event, EventStatus status) {
        return insert
                .setParameter(1, event.eventId())
                .setParameter(2, event.eventType())
                .setParameter(3, event.userId())
                .setParameter(4, event.timestamp())
                .setParameter(5, event.payload().toString())
                .setParameter(6, event.metadata() == null ? "" : event.metadata().toString())
                .setParameter(7, status.wireName());
    }
}
