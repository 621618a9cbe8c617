package dev.notify.persistence;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;
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
// a released notification writes its status and dispatch time, not its rendered content again
@DynamicUpdate
@NamedQuery(name = NotificationRecord.FOR_DELIVERY, query = "SELECT n.eventId, n.userId, n.eventSeq, n.status, n.address, n.content, CASE WHEN"
        + " EXISTS (SELECT p FROM NotificationRecord p WHERE " + NotificationRecord.NOTIFICATION_HOLDS_BACK + ")"
        + " OR EXISTS (SELECT e FROM EventRecord e WHERE " + NotificationRecord.EVENT_HOLDS_BACK + ")"
        + " THEN TRUE ELSE FALSE END FROM NotificationRecord n WHERE n.notificationId = :id")
@NamedQuery(name = NotificationRecord.NOTIFICATION_HOLDING_BACK, query = "SELECT p FROM NotificationRecord p WHERE EXISTS"
        + " (SELECT n FROM NotificationRecord n WHERE n.notificationId = :id AND " + NotificationRecord.NOTIFICATION_HOLDS_BACK + ")"
        + " ORDER BY p.eventSeq")
@NamedQuery(name = NotificationRecord.EVENT_HOLDING_BACK, query = "SELECT e FROM EventRecord e WHERE EXISTS"
        + " (SELECT n FROM NotificationRecord n WHERE n.notificationId = :id AND " + NotificationRecord.EVENT_HOLDS_BACK + ")"
        + " ORDER BY e.seq")
@NamedQuery(name = NotificationRecord.TRIED_BEFORE, query = """
        SELECT p FROM NotificationRecord p
        WHERE p.userId = :userId AND p.channel = :channel AND p.eventSeq < :eventSeq AND p.status IN (SENT, DEAD_LETTERED)
        ORDER BY p.eventSeq DESC""")
@NamedQuery(name = NotificationRecord.FIRST_HELD, query = """
        SELECT n FROM NotificationRecord n
        WHERE n.userId = :userId AND n.channel = :channel AND n.status = HELD
        ORDER BY n.eventSeq""")
@NamedQuery(name = NotificationRecord.FIRST_HELD_PER_CHANNEL_AFTER, query = """
        SELECT n FROM NotificationRecord n
        WHERE n.userId = :userId AND n.status = HELD AND n.eventSeq = (
            SELECT MIN(m.eventSeq) FROM NotificationRecord m
            WHERE m.userId = n.userId AND m.channel = n.channel AND m.status = HELD AND m.eventSeq > :eventSeq)""")
@NamedQuery(name = NotificationRecord.STALLED, query = """
        SELECT n FROM NotificationRecord n
        WHERE n.status = PENDING AND n.dispatchedAt < :before
          AND NOT EXISTS (SELECT f FROM DeliveryFailureRecord f
                          WHERE f.eventId = n.eventId AND f.consumer = CONCAT('notification.', n.channel)
                            AND f.failedAt >= :before)
        ORDER BY n.eventSeq""")
// a query of its own: one statement with both kinds took Hibernate's HQL parser minutes at every start
@NamedQuery(name = NotificationRecord.HELD_BY_NOTHING, query = "SELECT n FROM NotificationRecord n WHERE n.status = HELD"
        + " AND n.dispatchedAt < :before"
        + " AND NOT EXISTS (SELECT p FROM NotificationRecord p WHERE " + NotificationRecord.NOTIFICATION_HOLDS_BACK + ")"
        + " AND NOT EXISTS (SELECT e FROM EventRecord e WHERE " + NotificationRecord.EVENT_HOLDS_BACK + ")"
        + " ORDER BY n.eventSeq")
@NamedQuery(name = NotificationRecord.OF_EVENT, query = """
        SELECT n FROM NotificationRecord n WHERE n.eventId = :eventId ORDER BY n.channel""")
@NamedQuery(name = NotificationRecord.HOLD, query = """
        UPDATE NotificationRecord n SET n.status = HELD WHERE n.notificationId = :id""")
@NamedQuery(name = NotificationRecord.SENT, query = """
        UPDATE NotificationRecord n SET n.status = SENT, n.attempts = :attempt, n.sentAt = :now, n.lastError = NULL
        WHERE n.notificationId = :id""")
@NamedQuery(name = NotificationRecord.REFUSED, query = """
        UPDATE NotificationRecord n SET n.status = FAILED, n.attempts = :attempt, n.lastError = :reason
        WHERE n.notificationId = :id""")
@NamedQuery(name = NotificationRecord.FAILED_ATTEMPT, query = """
        UPDATE NotificationRecord n SET n.attempts = :attempt, n.lastError = :reason WHERE n.notificationId = :id""")
@NamedQuery(name = NotificationRecord.DEFERRED, query = """
        UPDATE NotificationRecord n SET n.dispatchedAt = :due, n.lastError = :reason WHERE n.notificationId = :id""")
@NamedQuery(name = NotificationRecord.DEAD_LETTERED, query = """
        UPDATE NotificationRecord n SET n.status = DEAD_LETTERED, n.attempts = :attempt, n.lastError = :reason
        WHERE n.notificationId = :id""")
public class NotificationRecord {

    /**
     * Notification {@code p} holds notification {@code n} back: the user's earlier one on the
     * channel, not yet settled (NotificationStatus.HOLDING_BACK).
     */
    static final String NOTIFICATION_HOLDS_BACK =
            "p.userId = n.userId AND p.channel = n.channel AND p.eventSeq < n.eventSeq AND p.status IN (PENDING, HELD)";
    /**
     * Event {@code e} holds notification {@code n} back: the user's earlier event, still
     * accepted, that had committed when {@code n}'s event was recorded (its request came
     * after that one's answer), or that the {@code :router} failed and will retry.
     */
    static final String EVENT_HOLDS_BACK = "e.userId = n.userId AND e.status = ACCEPTED AND e.seq < n.eventSeq"
            // a subquery, not n.event: the path made Hibernate join event to a locking query's notification
            // outside FOR UPDATE, locking each row in a select of its own afterwards (follow-on locking),
            // which fails on a row another transaction holds instead of skipping it
            + " AND (e.seq <= (SELECT ne.afterSeq FROM EventRecord ne WHERE ne.eventId = n.eventId)"
            + " OR EXISTS (SELECT f FROM DeliveryFailureRecord f WHERE f.eventId = e.eventId AND f.consumer = :router))";

    /**
     * Notification {@code :id}'s event, user, place in the user's order, status, address and
     * content, and whether anything may hold it back (read without locks). Binds {@code :router},
     * as every query that asks what holds a notification back.
     */
    public static final String FOR_DELIVERY = "NotificationRecord.forDelivery";
    /** The notifications that hold notification {@code :id} back, the first first. */
    public static final String NOTIFICATION_HOLDING_BACK = "NotificationRecord.notificationHoldingBack";
    /** The events that hold notification {@code :id} back, the first first. */
    public static final String EVENT_HOLDING_BACK = "NotificationRecord.eventHoldingBack";
    /**
     * The user's notifications on the channel before {@code eventSeq} tried to the end
     * (NotificationStatus.TRIED_TO_THE_END), the latest first.
     */
    public static final String TRIED_BEFORE = "NotificationRecord.triedBefore";
    /** The user's held notifications on the channel, the first first. */
    public static final String FIRST_HELD = "NotificationRecord.firstHeld";
    /** The user's first held notification after {@code eventSeq} on each channel. */
    public static final String FIRST_HELD_PER_CHANNEL_AFTER = "NotificationRecord.firstHeldPerChannelAfter";
    /**
     * Pending notifications last dispatched before {@code before} whose channel's worker
     * has not failed on them since then.
     */
    public static final String STALLED = "NotificationRecord.stalled";
    /**
     * Held notifications last dispatched before {@code before} that nothing holds back any
     * more: their holder settled, but its release did not commit. Binds what holds a notification back.
     */
    public static final String HELD_BY_NOTHING = "NotificationRecord.heldByNothing";
    public static final String OF_EVENT = "NotificationRecord.ofEvent";

    // A channel's worker changes the notification it delivers by id, in one statement each: loading
    // it as an entity, checking it for changes and flushing it cost the worker twice the statements
    // themselves (profiled against the native statements these replaced)
    /** Notification {@code :id} waits, acknowledged and held, until the one that holds it back settles and releases it. */
    public static final String HOLD = "NotificationRecord.hold";
    /** Notification {@code :id} was sent on {@code :attempt} at {@code :now}. */
    public static final String SENT = "NotificationRecord.sent";
    /** Notification {@code :id} was refused by its provider on {@code :attempt} with {@code :reason}: no retry can help (failed). */
    public static final String REFUSED = "NotificationRecord.refused";
    /** Notification {@code :id}'s {@code :attempt} failed with {@code :reason}, and will be retried. */
    public static final String FAILED_ATTEMPT = "NotificationRecord.failedAttempt";
    /**
     * Notification {@code :id}'s provider asked, with {@code :reason}, to be called again later: its
     * message is due at {@code :due}, which the stalled-work sweep counts from.
     */
    public static final String DEFERRED = "NotificationRecord.deferred";
    /** Notification {@code :id}'s {@code :attempt} failed with {@code :reason}, and was its last: its message is dead-lettered. */
    public static final String DEAD_LETTERED = "NotificationRecord.deadLettered";

    @Id
    @Column(name = "notification_id")
    private UUID notificationId;

    @Column(name = "event_id", nullable = false)
    private String eventId;

    /** Read only: the column is written as {@code eventId}. */
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "event_id", insertable = false, updatable = false)
    private EventRecord event;

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

    @Convert(converter = NotificationStatusConverter.class)
    @Column(name = "status", nullable = false)
    private NotificationStatus status;

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

    /** When a message for it was last put on its channel's queue, or is due there when deferred (the stalled-work sweep's clock). */
    @Column(name = "dispatched_at", nullable = false)
    private OffsetDateTime dispatchedAt;

    protected NotificationRecord() {
    }

    /** Pending, with a message for it put on its channel's queue now. */
    public void dispatched() {
        status = NotificationStatus.PENDING;
        dispatchedAt = OffsetDateTime.now();
    }

    public UUID getNotificationId() {
        return notificationId;
    }

    public String getEventId() {
        return eventId;
    }

    public EventRecord getEvent() {
        return event;
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

    public NotificationStatus getStatus() {
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
