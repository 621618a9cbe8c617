package dev.notify.persistence;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * The notification of an event on one channel: at most one per event and channel. Inserted with a
 * native {@code INSERT ... ON CONFLICT DO NOTHING} (NotificationStore in the ejb module): a replayed
 * event finds its notification there and must neither duplicate it nor fail. Its id is also the
 * providers' idempotency key; {@code eventSeq} is its event's place in the user's order.
 */
@Entity
@Table(name = "notification")
public class NotificationRecord {

    @Id
    @Column(name = "notification_id")
    private UUID notificationId;

    @Column(name = "event_id", nullable = false)
    private String eventId;

    @Column(name = "user_id", nullable = false)
    private String userId;

    @Column(name = "channel", nullable = false)
    private String channel;

    /** The email address, phone number or push tokens, as JSON text. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "address")
    private String address;

    /** The rendered parts (subject and body, text, ...), as JSON text. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "content")
    private String content;

    /** pending, held, sent, failed or dead-lettered. */
    @Column(name = "status", nullable = false)
    private String status;

    @Column(name = "attempts", nullable = false)
    private int attempts;

    @Column(name = "last_error")
    private String lastError;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Column(name = "sent_at")
    private OffsetDateTime sentAt;

    @Column(name = "event_seq", nullable = false)
    private long eventSeq;

    /** When a message for it was last put on its channel's queue (the stalled-work sweep's clock). */
    @Column(name = "dispatched_at", nullable = false)
    private OffsetDateTime dispatchedAt;

    protected NotificationRecord() {
    }

    public UUID getNotificationId() {
        return notificationId;
    }

    public String getEventId() {
        return eventId;
    }

    public String getUserId() {
        return userId;
    }

    public String getChannel() {
        return channel;
    }

    public String getAddress() {
        return address;
    }

    public String getContent() {
        return content;
    }

    public String getStatus() {
        return status;
    }

    public int getAttempts() {
        return attempts;
    }

    public String getLastError() {
        return lastError;
    }

    public OffsetDateTime getCreatedAt() {
        return createdAt;
    }

    public OffsetDateTime getSentAt() {
        return sentAt;
    }

    public long getEventSeq() {
        return eventSeq;
    }

    public OffsetDateTime getDispatchedAt() {
        return dispatchedAt;
    }
}
