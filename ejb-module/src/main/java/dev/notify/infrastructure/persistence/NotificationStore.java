package dev.notify.infrastructure.persistence;

import static dev.notify.domain.JsonApi.JSON;

import java.io.StringReader;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import dev.notify.domain.Channel;
import dev.notify.domain.PublishedEvent;
import dev.notify.infrastructure.messaging.Messaging;
import dev.notify.persistence.EventRecord;
import dev.notify.persistence.FailureReasons;
import dev.notify.persistence.NotificationRecord;
import dev.notify.persistence.NotificationStatus;

/** The notifications of events, one per event and channel. Runs in the caller's transaction. */
@ApplicationScoped
public class NotificationStore {

    @PersistenceContext(unitName = "notify")
    EntityManager em;

    @Inject
    DeliveryFailures failures;

    /** A notification as the API shows it. */
    public record Summary(UUID notificationId, String channel, NotificationStatus status, int attempts, String lastError,
                          OffsetDateTime sentAt) {
    }

    /**
     * What a channel's worker needs to send a notification. {@code waitingFor} names what holds it
     * back (a user's earlier notification on the channel not yet settled, or a user's earlier
     * event not routed yet, see forDelivery), or is null when it may be sent now.
     */
    public record Delivery(UUID notificationId, String eventId, String userId, long eventSeq, NotificationStatus status,
                           JsonValue address, JsonObject content, String waitingFor) {

        public boolean isHeldBack() {
            return waitingFor != null;
        }
    }

    /** A notification put on its channel's queue again (released from held, or stalled), with the keys its message carries. */
    public record Released(UUID notificationId, Channel channel, String userId, String eventId, String eventType) {
    }

    /**
     * The notification as its worker needs it, and whether the user's order holds it back. The
     * notification itself is not locked: one message carries it, which the broker gives to one
     * consumer at a time, and the failed-attempt record (its own transaction) must be able to
     * update the row. When the first read finds anything that may hold it back, what does is read
     * again and locked ({@code FOR SHARE}) until this transaction ends: whoever settles that one
     * waits for us, and then sees this one held and releases it.
     * An earlier event that is not routed yet holds it back when it had committed before this
     * one's event was recorded (its publisher was answered before sending this one: a broker
     * failover or an instance's death can make the router take it late), or once the router has
     * failed it: every unrouted one of the user up to the newest seq this one's insert saw. One
     * accepted concurrently has no order to keep with this one, but holds it too when its seq is
     * lower (seqs are given at insert, not at commit); holding for every unrouted earlier event
     * made a burst of concurrent batches drain 43 % slower.
     */
    public Optional<Delivery> forDelivery(UUID notificationId) {
        return first(withWhatHoldsBack(em.createNamedQuery(NotificationRecord.FOR_DELIVERY, Reading.class))
                .setParameter("id", notificationId)).map(n -> new Delivery(notificationId, n.eventId(), n.userId(), n.eventSeq(),
                        n.status(), parse(n.address()), parse(n.content()).asJsonObject(),
                        n.mayBeHeldBack() ? heldBackBy(notificationId) : null));
    }

    /**
     * A notification, and whether anything may hold it back, in one statement without locks:
     * usually nothing does, and nothing needs locking (read in three statements, with the locking
     * ones every time, the closed loop spent 16 % more server CPU per event). Values, not the
     * entity: the worker changes the row by id (NotificationRecord.SENT and the like). Boxed:
     * Hibernate finds the constructor by the query's exact types.
     */
    public record Reading(String eventId, String userId, Long eventSeq, NotificationStatus status, String address, String content,
                          Boolean mayBeHeldBack) {
    }

    /**
     * What holds the notification back, locked; null when it settled meanwhile. The events first:
     * the lock on one the router is routing waits for the router's commit, whose notifications the
     * second look then sees (the other way round, a notification released by that commit, whose
     * broker branch committed before the database's, was sent before the event's own).
     */
    private String heldBackBy(UUID notificationId) {
        return first(withWhatHoldsBack(em.createNamedQuery(NotificationRecord.EVENT_HOLDING_BACK, EventRecord.class))
                        .setParameter("id", notificationId)
                        .setLockMode(LockModeType.PESSIMISTIC_READ))
                .map(e -> "event " + e.getEventId())
                .or(() -> first(em.createNamedQuery(NotificationRecord.NOTIFICATION_HOLDING_BACK, NotificationRecord.class)
                                .setParameter("id", notificationId)
                                .setLockMode(LockModeType.PESSIMISTIC_READ))
                        .map(p -> "notification " + p.getNotificationId()))
                .orElse(null);
    }

    /**
     * An earlier event holds a notification back while it is accepted, and was seen by the
     * notification's event or failed by the router: the router's name is the one parameter of what
     * holds back (the statuses are literals, so PostgreSQL's cached plans can use the partial indexes).
     */
    private static <T> TypedQuery<T> withWhatHoldsBack(TypedQuery<T> query) {
        return query.setParameter("router", Messaging.ROUTER_SUBSCRIPTION);
    }

    private static <T> Optional<T> first(TypedQuery<T> query) {
        return query.setMaxResults(1).getResultList().stream().findFirst();
    }

    /** Waits, acknowledged, until the notification that holds it back settles and releases it. */
    public void hold(UUID notificationId) {
        update(em.createNamedQuery(NotificationRecord.HOLD), notificationId);
    }

    private static void update(Query byId, UUID notificationId) {
        byId.setParameter("id", notificationId).executeUpdate();
    }

    /**
     * Whether the user's last notification on the channel before this one that was tried to the
     * end was dead-lettered, with its last failure after {@code since}: the channel is failing for
     * this user.
     */
    public Optional<UUID> deadLetteredBefore(Delivery notification, Channel channel, OffsetDateTime since) {
        return first(em.createNamedQuery(NotificationRecord.TRIED_BEFORE, NotificationRecord.class)
                .setParameter("userId", notification.userId())
                .setParameter("channel", channel.wireName())
                .setParameter("eventSeq", notification.eventSeq()))
                .filter(tried -> tried.getStatus() == NotificationStatus.DEAD_LETTERED)
                .filter(deadLettered -> failures.of(channel.queue(), deadLettered.getEventId()).stream()
                        .anyMatch(failure -> failure.failedAt().isAfter(since)))
                .map(NotificationRecord::getNotificationId);
    }

    /**
     * Releases the user's first held notification on the channel, now that one before it settled.
     * A statement of its own, after the settling one: it must see a hold committed while that one
     * waited for the hold's lock.
     */
    public Optional<Released> releaseNext(String userId, Channel channel) {
        return dispatch(first(em.createNamedQuery(NotificationRecord.FIRST_HELD, NotificationRecord.class)
                .setParameter("userId", userId)
                .setParameter("channel", channel.wireName())
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)).stream().toList()).stream().findFirst();
    }

    /**
     * Releases the user's first held notification on every channel after an event, now that the
     * event no longer waits for the router (routed late after a retry, or dead-lettered).
     */
    public List<Released> releaseAfter(String userId, long eventSeq) {
        return dispatch(em.createNamedQuery(NotificationRecord.FIRST_HELD_PER_CHANNEL_AFTER, NotificationRecord.class)
                .setParameter("userId", userId)
                .setParameter("eventSeq", eventSeq)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList());
    }

    /**
     * Notifications whose message went missing, to be dispatched again (the time of their dispatch
     * is reset): pending ones of which none was dispatched for {@code after}, and no attempt failed
     * in that time, so no message is on its way to them nor waiting out its back-off; and held ones
     * that nothing holds back any more, whose release was lost. A message can go missing in a
     * transaction whose broker side stays in doubt after a crash until the transaction manager
     * resolves it. Rows another sweep is taking are skipped.
     */
    public List<Released> redispatchStalled(Duration after, int max) {
        OffsetDateTime before = OffsetDateTime.now().minus(after);
        List<NotificationRecord> stalled = new ArrayList<>(Locks.forUpdateSkipLocked(
                        em.createNamedQuery(NotificationRecord.STALLED, NotificationRecord.class))
                .setParameter("before", before)
                .setMaxResults(max)
                .getResultList());
        if (stalled.size() < max) {
            stalled.addAll(withWhatHoldsBack(Locks.forUpdateSkipLocked(
                            em.createNamedQuery(NotificationRecord.HELD_BY_NOTHING, NotificationRecord.class)))
                    .setParameter("before", before)
                    .setMaxResults(max - stalled.size())
                    .getResultList());
        }
        return dispatch(stalled);
    }

    /** Notifications locked by the caller back to pending, dispatched now, with the keys their messages carry. */
    private static List<Released> dispatch(List<NotificationRecord> locked) {
        locked.forEach(NotificationRecord::dispatched);
        return locked.stream().map(n -> new Released(n.getNotificationId(), Channel.fromWireName(n.getChannel()).orElseThrow(),
                n.getUserId(), n.getEventId(), n.getEvent().getEventType())).toList();
    }

    public void markSent(UUID notificationId, int attempt) {
        update(em.createNamedQuery(NotificationRecord.SENT)
                .setParameter("attempt", attempt)
                .setParameter("now", OffsetDateTime.now()), notificationId);
    }

    /** Permanently failed: the provider refused it; no retry can help. */
    public void markFailed(UUID notificationId, int attempt, String reason) {
        update(em.createNamedQuery(NotificationRecord.REFUSED)
                .setParameter("attempt", attempt)
                .setParameter("reason", FailureReasons.cut(reason)), notificationId);
    }

    /** A failed attempt that will be retried. In its own transaction: the attempt itself rolls back. */
    @Transactional(TxType.REQUIRES_NEW)
    public void recordFailedAttempt(UUID notificationId, int attempt, String reason) {
        update(em.createNamedQuery(NotificationRecord.FAILED_ATTEMPT)
                .setParameter("attempt", attempt)
                .setParameter("reason", FailureReasons.cut(reason)), notificationId);
    }

    /** Its provider asked to be called again later: its message is due then. */
    public void markDeferred(UUID notificationId, Duration delay, String reason) {
        update(em.createNamedQuery(NotificationRecord.DEFERRED)
                .setParameter("due", OffsetDateTime.now().plus(delay))
                .setParameter("reason", FailureReasons.cut(reason)), notificationId);
    }

    /**
     * The last attempt failed. In the caller's transaction, which dead-letters the message and
     * releases the user's next notification: the three commit together or not at all (committed
     * alone, a failed move left the next one held with no message).
     */
    public void markDeadLettered(UUID notificationId, int attempt, String reason) {
        update(em.createNamedQuery(NotificationRecord.DEAD_LETTERED)
                .setParameter("attempt", attempt)
                .setParameter("reason", FailureReasons.cut(reason)), notificationId);
    }

    private static JsonValue parse(String json) {
        return JSON.createReader(new StringReader(json)).readValue();
    }

    /**
     * A rendered notification waiting for its channel's worker; its id, or nothing when the event
     * has one on this channel already (a replayed event).
     */
    public Optional<UUID> recordPending(PublishedEvent event, long eventSeq, Channel channel, JsonValue address,
                                        Map<String, String> content) {
        JsonObjectBuilder parts = JSON.createObjectBuilder();
        content.forEach(parts::add);
        return insert(event, eventSeq, channel, NotificationStatus.PENDING, address.toString(), parts.build().toString(), null);
    }

    /** A notification that cannot be sent at all (no recipient, no address on this channel), unless the event has one. */
    public void recordFailed(PublishedEvent event, long eventSeq, Channel channel, String reason) {
        insert(event, eventSeq, channel, NotificationStatus.FAILED, null, null, reason);
    }

    public List<Summary> ofEvent(String eventId) {
        return em.createNamedQuery(NotificationRecord.OF_EVENT, NotificationRecord.class)
                .setParameter("eventId", eventId)
                .getResultList().stream()
                .map(n -> new Summary(n.getNotificationId(), n.getChannel(), n.getStatus(), n.getAttempts(), n.getLastError(),
                        Timestamps.utc(n.getSentAt())))
                .toList();
    }

    private Optional<UUID> insert(PublishedEvent event, long eventSeq, Channel channel, NotificationStatus status, String address,
                                  String content, String error) {
        UUID id = UUID.randomUUID();
        // native: a replayed event finds its notification there, and must neither duplicate it nor fail
        int inserted = em.createNativeQuery("""
                        INSERT INTO notification (notification_id, event_id, user_id, channel, address, content, status, last_error, event_seq)
                        VALUES (?1, ?2, ?3, ?4, CAST(?5 AS jsonb), CAST(?6 AS jsonb), ?7, ?8, ?9)
                        ON CONFLICT (event_id, channel) DO NOTHING""")
                .setParameter(1, id)
                .setParameter(2, event.eventId())
                .setParameter(3, event.userId())
                .setParameter(4, channel.wireName())
                .setParameter(5, address)
                .setParameter(6, content)
                .setParameter(7, status.wireName())
                .setParameter(8, error)
                .setParameter(9, eventSeq)
                .executeUpdate();
        return inserted == 1 ? Optional.of(id) : Optional.empty();
    }
}
