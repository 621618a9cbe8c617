package dev.notify.persistence;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An accepted event's message waiting in the outbox for the relay to send it (see V6__outbox.sql). */
@Entity
@Table(name = "outbox")
public class OutboxMessage {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "event_id", nullable = false, updatable = false)
    private String eventId;

    @Column(name = "event_type", nullable = false, updatable = false)
    private String eventType;

    @Column(name = "user_id", nullable = false, updatable = false)
    private String userId;

    @Column(name = "message", nullable = false, updatable = false)
    private String message;

    @Column(name = "payload_by_reference", nullable = false, updatable = false)
    private boolean payloadByReference;

    @Column(name = "accepted_at", nullable = false, insertable = false, updatable = false)
    private OffsetDateTime acceptedAt;

    protected OutboxMessage() {
    }

    public OutboxMessage(String eventId, String eventType, String userId, String message, boolean payloadByReference) {
        this.eventId = eventId;
        this.eventType = eventType;
        this.userId = userId;
        this.message = message;
        this.payloadByReference = payloadByReference;
    }

    public Long getId() {
        return id;
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

    public String getMessage() {
        return message;
    }

    public boolean isPayloadByReference() {
        return payloadByReference;
    }

    public OffsetDateTime getAcceptedAt() {
        return acceptedAt;
    }
}
