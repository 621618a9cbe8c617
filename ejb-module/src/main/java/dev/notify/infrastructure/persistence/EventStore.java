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

    /**
     * Accepted events, given as arrays in the publisher's order. Each takes its sequence number in
     * that order; its after_seq is the user's previous event in the list, or else the user's newest
     * event that had committed (V11__order_across_requests.sql), as if each were inserted alone.
     */
    private static final String INSERT_ACCEPTED = """
            WITH given AS MATERIALIZED (
                SELECT given.*, nextval(pg_get_serial_sequence('event', 'seq')) AS seq
                FROM unnest(CAST(?1 AS text[]), CAST(?2 AS text[]), CAST(?3 AS text[]), CAST(?4 AS text[]),
                            CAST(?5 AS text[]), CAST(?6 AS text[]))
                     WITH ORDINALITY AS given (event_id, event_type, user_id, occurred_at, payload, metadata, position)
            )
            INSERT INTO event (event_id, event_type, user_id, occurred_at, payload, metadata, status, seq, after_seq)
            OVERRIDING SYSTEM VALUE
            SELECT event_id, event_type, user_id, CAST(occurred_at AS timestamptz), CAST(payload AS jsonb),
                   CAST(metadata AS jsonb), 'accepted', seq,
                   COALESCE(lag(seq) OVER (PARTITION BY user_id ORDER BY position),
                            (SELECT max(e.seq) FROM event e WHERE e.user_id = given.user_id))
            FROM given
            ORDER BY position
            ON CONFLICT (event_id) DO NOTHING
            RETURNING *
            """;

    @PersistenceContext(unitName = "notify")
    EntityManager em;

    /**
     * Records events accepted for publishing, in one statement, and returns the rows as stored (no
     * reading back) of those whose id was new, in the given order; their sequence numbers follow that
     * order. An event whose id is known already, before or earlier in the list, is left out.
     */
    public List<EventRecord> recordAccepted(List<PublishedEvent> events) {
        // native: a duplicate must be told by the row count (ON CONFLICT), not fail the transaction;
        // and a batch of 500 events is one statement, where one INSERT per event took half of the
        // batch's time (its round trip, and Hibernate preparing and reading each)
        @SuppressWarnings("unchecked")
        List<EventRecord> inserted = em.createNativeQuery(INSERT_ACCEPTED, EventRecord.class)
                .setParameter(1, events.stream().map(PublishedEvent::eventId).toArray(String[]::new))
                .setParameter(2, events.stream().map(PublishedEvent::eventType).toArray(String[]::new))
                .setParameter(3, events.stream().map(PublishedEvent::userId).toArray(String[]::new))
                .setParameter(4, events.stream().map(event -> event.timestamp().toString()).toArray(String[]::new))
                .setParameter(5, events.stream().map(event -> event.payload().toString()).toArray(String[]::new))
                .setParameter(6, events.stream().map(event -> event.metadata() == null ? null : event.metadata().toString()).toArray(String[]::new))
                .getResultList();
        // a view of what was written, not managed: a batch would otherwise keep every event in the
        // persistence context, and check them all for changes before each of its statements
        inserted.forEach(em::detach);
        return inserted;
    }

    /** {@link #recordAccepted(List)} for one event: its row as stored, or nothing when its id is known. */
    public Optional<EventRecord> recordAccepted(PublishedEvent event) {
        return recordAccepted(List.of(event)).stream().findFirst();
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
