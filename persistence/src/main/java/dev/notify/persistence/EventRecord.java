package dev.notify.persistence;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An event as the service knows it. Rows are written with native upserts (see EventStore in the
 * ejb module) because the idempotent consumer needs {@code ON CONFLICT}; JPA reads them and
 * changes their status. {@code seq} is its place in its user's order, given by the database.
 */
@Entity
@Table(name = "event")
// a status change writes the status, not the payload again
@DynamicUpdate
@NamedQuery(name = EventRecord.WITH_STATUS, query = "SELECT e FROM EventRecord e WHERE e.eventId = :eventId AND e.status = :status")
@NamedQuery(name = EventRecord.STALLED, query = """
        SELECT e FROM EventRecord e
        WHERE e.status = ACCEPTED AND COALESCE(e.resentAt, e.acceptedAt) < :before
          AND NOT EXISTS (SELECT o FROM OutboxMessage o WHERE o.eventId = e.eventId)
          AND NOT EXISTS (SELECT f FROM DeliveryFailureRecord f
                          WHERE f.eventId = e.eventId AND f.consumer = :consumer AND f.failedAt >= :before)
        ORDER BY e.seq""")
@NamedQuery(name = EventRecord.PAYLOAD, query = "SELECT e.payload FROM EventRecord e WHERE e.eventId = :eventId")
public class EventRecord {

    public static final String WITH_STATUS = "EventRecord.withStatus";
    /**
     * Accepted events last published before {@code before}, no longer in the outbox, and not
     * failed by {@code consumer} since then.
     */
    public static final String STALLED = "EventRecord.stalled";
    public static final String PAYLOAD = "EventRecord.payload";

    @Id
    @Column(name = "event_id")
    private String eventId;

    @Column(name = "event_type", nullable = false)
    private String eventType;

    @Column(name = "user_id", nullable = false)
    private String userId;

    @Column(name = "occurred_at", nullable = false)
    private OffsetDateTime occurredAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "payload", nullable = false)
    private String payload;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "metadata")
    private String metadata;

    @Convert(converter = EventStatusConverter.class)
    @Column(name = "status", nullable = false)
    private EventStatus status;

    @Column(name = "accepted_at", nullable = false)
    private OffsetDateTime acceptedAt;

    @Column(name = "processed_at")
    private OffsetDateTime processedAt;

    @Column(name = "seq", insertable = false, updatable = false)
    private long seq;

    /**
     * The seq of the user's newest event that had committed when this one was recorded: what its
     * publisher saw accepted before sending it. Null for a user's first event.
     */
    @Column(name = "after_seq", insertable = false, updatable = false)
    private Long afterSeq;

    /** When it was last published again by the stalled-work sweep. */
    @Column(name = "resent_at")
    private OffsetDateTime resentAt;

    protected EventRecord() {
    }

    /** The router gave up on it: it no longer holds back the user's later notifications. */
    public void deadLettered() {
        status = EventStatus.DEAD_LETTERED;
    }

    /** Published again now by the stalled-work sweep. */
    public void resent() {
        resentAt = OffsetDateTime.now();
    }

    public String getEventId() {
        return eventId;
    }

    public String getEventType() {
        return eventType;
    }

    public String getUserId() {
        return userId;
    }

    public OffsetDateTime getOccurredAt() {
        return occurredAt;
    }

    /** The payload as JSON text. */
    public String getPayload() {
        return payload;
    }

    /** The metadata as JSON text, or null. */
    public String getMetadata() {
        return metadata;
    }

    public EventStatus getStatus() {
        return status;
    }

    public OffsetDateTime getAcceptedAt() {
        return acceptedAt;
    }

    public OffsetDateTime getProcessedAt() {
        return processedAt;
    }

    public long getSeq() {
        return seq;
    }

    public OffsetDateTime getResentAt() {
        return resentAt;
    }
}
