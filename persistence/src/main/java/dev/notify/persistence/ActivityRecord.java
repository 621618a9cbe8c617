package dev.notify.persistence;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * An entry of a user's timeline: one per event the activity subscription received. Appended with a
 * native {@code INSERT ... ON CONFLICT DO NOTHING} (ActivityTimeline in the ejb module): a
 * redelivered event must not appear twice, and must not fail the transaction either.
 * {@code position} orders the timeline and serves as its page cursor.
 */
@Entity
@Table(name = "activity")
@NamedQuery(name = ActivityRecord.PAGE, query = """
        SELECT a FROM ActivityRecord a WHERE a.userId = :userId AND a.position < :before ORDER BY a.position DESC""")
public class ActivityRecord {

    public static final String PAGE = "ActivityRecord.page";

    @Id
    @Column(name = "position")
    private long position;

    @Column(name = "user_id", nullable = false)
    private String userId;

    @Column(name = "event_id", nullable = false)
    private String eventId;

    @Column(name = "event_type", nullable = false)
    private String eventType;

    @Column(name = "occurred_at", nullable = false)
    private OffsetDateTime occurredAt;

    @Column(name = "recorded_at", nullable = false)
    private OffsetDateTime recordedAt;

    protected ActivityRecord() {
    }

    public long getPosition() {
        return position;
    }

    public String getUserId() {
        return userId;
    }

    public String getEventId() {
        return eventId;
    }

    public String getEventType() {
        return eventType;
    }

    public OffsetDateTime getOccurredAt() {
        return occurredAt;
    }

    public OffsetDateTime getRecordedAt() {
        return recordedAt;
    }
}
