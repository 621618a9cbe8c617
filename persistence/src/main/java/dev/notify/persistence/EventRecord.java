package dev.notify.persistence;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An event as the service knows it. Rows are written with native upserts (see EventStore in the
 * ejb module) because the idempotent consumer needs {@code ON CONFLICT}; JPA reads them.
 */
@Entity
@Table(name = "event")
public class EventRecord {

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

    protected EventRecord() {
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
}
