package dev.notify.infrastructure.persistence;

import static dev.notify.application.JsonApi.JSON;

import java.io.StringReader;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import dev.notify.domain.Channel;
import dev.notify.domain.PublishedEvent;

/** The notifications of events, one per event and channel. Runs in the caller's transaction. */
@ApplicationScoped
public class NotificationStore {

    private static final int MAX_REASON_LENGTH = 2000;

    @PersistenceContext(unitName = "notify")
    EntityManager em;

    /** A notification as the API shows it. */
    public record Summary(UUID notificationId, String channel, String status, int attempts, String lastError,
                          OffsetDateTime sentAt) {
    }

    /**
     * What a channel's worker needs to send a notification. {@code waitingFor} names what holds it
     * back (a user's earlier notification on the channel not yet settled, or a user's earlier
     * event that the router failed and will retry), or is null when it may be sent now.
     */
    public record Delivery(UUID notificationId, String eventId, String userId, long eventSeq, String status,
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
     * update the row. What holds it back is locked ({@code FOR SHARE}) until this transaction
     * ends: whoever settles that one waits for us, and then sees this one held and releases it.
     * An earlier event holds it back only once the router has failed it: one that is merely not
     * routed yet was accepted concurrently with this one and relayed after it, and two concurrent
     * requests have no order to keep (holding for them made a burst of concurrent batches drain
     * 43 % slower).
     */
    public Optional<Delivery> forDelivery(UUID notificationId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT n.event_id, n.user_id, n.event_seq, n.status, CAST(n.address AS text), CAST(n.content AS text),
                               COALESCE(
                                   (SELECT 'notification ' || p.notification_id FROM notification p
                                    WHERE p.user_id = n.user_id AND p.channel = n.channel AND p.event_seq < n.event_seq
                                      AND p.status IN ('pending', 'held')
                                    ORDER BY p.event_seq LIMIT 1 FOR SHARE),
                                   (SELECT 'event ' || e.event_id FROM event e
                                    WHERE e.user_id = n.user_id AND e.status = 'accepted' AND e.seq < n.event_seq
                                      AND EXISTS (SELECT 1 FROM delivery_failure f
                                                  WHERE f.event_id = e.event_id AND f.consumer = 'router') -- the router's subscription
                                    ORDER BY e.seq LIMIT 1 FOR SHARE OF e))
                        FROM notification n WHERE n.notification_id = ?1""")
                .setParameter(1, notificationId)
                .getResultList();
        return rows.stream().findFirst().map(row -> new Delivery(notificationId, (String) row[0], (String) row[1],
                ((Number) row[2]).longValue(), (String) row[3], parse((String) row[4]), parse((String) row[5]).asJsonObject(),
                (String) row[6]));
    }

    /** Waits, acknowledged, until the notification that holds it back settles and releases it. */
    public void hold(UUID notificationId) {
        em.createNativeQuery("UPDATE notification SET status = 'held' WHERE notification_id = ?1")
                .setParameter(1, notificationId)
                .executeUpdate();
    }

    /**
     * Whether the user's last notification on the channel before this one that was tried to the
     * end was dead-lettered: the channel is failing for this user.
     */
    public Optional<UUID> deadLetteredBefore(Delivery notification, Channel channel) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT notification_id, status FROM notification
                        WHERE user_id = ?1 AND channel = ?2 AND event_seq < ?3 AND status IN ('sent', 'dead-lettered')
                        ORDER BY event_seq DESC LIMIT 1""")
                .setParameter(1, notification.userId())
                .setParameter(2, channel.wireName())
                .setParameter(3, notification.eventSeq())
                .getResultList();
        return rows.stream().filter(row -> row[1].equals("dead-lettered")).map(row -> (UUID) row[0]).findFirst();
    }

    /**
     * Releases the user's first held notification on the channel, now that one before it settled.
     * A statement of its own, after the settling one: it must see a hold committed while that one
     * waited for the hold's lock.
     */
    public Optional<Released> releaseNext(String userId, Channel channel) {
        return release("""
                n.notification_id = (SELECT notification_id FROM notification
                                     WHERE user_id = ?1 AND channel = ?2 AND status = 'held'
                                     ORDER BY event_seq LIMIT 1)""", userId, channel.wireName()).stream().findFirst();
    }

    /**
     * Releases the user's first held notification on every channel after an event, now that the
     * event no longer waits for the router (routed late after a retry, or dead-lettered).
     */
    public List<Released> releaseAfter(String userId, long eventSeq) {
        return release("""
                n.notification_id IN (SELECT DISTINCT ON (channel) notification_id FROM notification
                                      WHERE user_id = ?1 AND status = 'held' AND event_seq > ?2
                                      ORDER BY channel, event_seq)""", userId, eventSeq);
    }

    /** Held notifications chosen by {@code condition} (on ?1 and ?2) back to pending, with their keys. */
    private List<Released> release(String condition, String userId, Object second) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        UPDATE notification n SET status = 'pending', dispatched_at = now() FROM event e
                        WHERE e.event_id = n.event_id AND n.status = 'held' AND %s
                        RETURNING n.notification_id, n.channel, n.event_id, e.event_type""".formatted(condition))
                .setParameter(1, userId)
                .setParameter(2, second)
                .getResultList();
        return rows.stream().map(row -> new Released((UUID) row[0], Channel.fromWireName((String) row[1]).orElseThrow(),
                userId, (String) row[2], (String) row[3])).toList();
    }

    /**
     * Pending notifications whose message went missing, to be dispatched again (the time of their
     * dispatch is reset): none was dispatched for {@code after}, and no attempt failed in that time,
     * so no message is on its way to them nor waiting out its back-off. A message can go missing in
     * a transaction whose broker side stays in doubt after a crash until the transaction manager
     * resolves it. Rows another sweep is taking are skipped.
     */
    public List<Released> redispatchStalled(Duration after, int max) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        UPDATE notification n SET dispatched_at = now() FROM event e
                        WHERE e.event_id = n.event_id AND n.notification_id IN (
                            SELECT s.notification_id FROM notification s
                            WHERE s.status = 'pending' AND s.dispatched_at < now() - make_interval(secs => ?1)
                              AND NOT EXISTS (SELECT 1 FROM delivery_failure f
                                              WHERE f.event_id = s.event_id AND f.consumer = 'notification.' || s.channel
                                                AND f.failed_at >= now() - make_interval(secs => ?1))
                            ORDER BY s.event_seq LIMIT ?2 FOR UPDATE OF s SKIP LOCKED)
                        RETURNING n.notification_id, n.channel, n.user_id, n.event_id, e.event_type, n.event_seq""")
                .setParameter(1, (double) after.toSeconds())
                .setParameter(2, max)
                .getResultList();
        return rows.stream().sorted(Comparator.comparingLong(row -> ((Number) row[5]).longValue()))
                .map(row -> new Released((UUID) row[0], Channel.fromWireName((String) row[1]).orElseThrow(),
                        (String) row[2], (String) row[3], (String) row[4])).toList();
    }

    public void markSent(UUID notificationId, int attempt) {
        update("status = 'sent', attempts = ?2, sent_at = now(), last_error = NULL", notificationId, attempt, null);
    }

    /** Permanently failed: the provider refused it; no retry can help. */
    public void markFailed(UUID notificationId, int attempt, String reason) {
        update("status = 'failed', attempts = ?2, last_error = ?3", notificationId, attempt, reason);
    }

    /**
     * A failed attempt that will be retried, or that was the last one (the worker dead-letters the
     * message). In its own transaction: the attempt itself rolls back.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public void recordFailedAttempt(UUID notificationId, int attempt, String reason, boolean lastAttempt) {
        update("attempts = ?2, last_error = ?3" + (lastAttempt ? ", status = 'dead-lettered'" : ""), notificationId, attempt, reason);
    }

    /** ?1 is the notification, ?2 the attempt, ?3 the reason (when there is one). */
    private void update(String assignments, UUID notificationId, int attempt, String reason) {
        Query update = em.createNativeQuery("UPDATE notification SET " + assignments + " WHERE notification_id = ?1")
                .setParameter(1, notificationId)
                .setParameter(2, attempt);
        if (reason != null) {
            update.setParameter(3, reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) : reason);
        }
        update.executeUpdate();
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
        return insert(event, eventSeq, channel, "pending", address.toString(), parts.build().toString(), null);
    }

    /** A notification that cannot be sent at all (no recipient, no address on this channel), unless the event has one. */
    public void recordFailed(PublishedEvent event, long eventSeq, Channel channel, String reason) {
        insert(event, eventSeq, channel, "failed", null, null, reason);
    }

    public List<Summary> ofEvent(String eventId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT notification_id, channel, status, attempts, last_error, sent_at FROM notification
                        WHERE event_id = ?1 ORDER BY channel""")
                .setParameter(1, eventId)
                .getResultList();
        return rows.stream().map(row -> new Summary((UUID) row[0], (String) row[1], (String) row[2],
                ((Number) row[3]).intValue(), (String) row[4], Timestamps.offset(row[5]))).toList();
    }

    private Optional<UUID> insert(PublishedEvent event, long eventSeq, Channel channel, String status, String address,
                                  String content, String error) {
        UUID id = UUID.randomUUID();
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
                .setParameter(7, status)
                .setParameter(8, error)
                .setParameter(9, eventSeq)
                .executeUpdate();
        return inserted == 1 ? Optional.of(id) : Optional.empty();
    }
}
