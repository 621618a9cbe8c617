package dev.notify.infrastructure.persistence;

import static dev.notify.application.JsonApi.JSON;

import java.io.StringReader;
import java.time.OffsetDateTime;
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

    /** What a channel's worker needs to send a notification. */
    public record Delivery(UUID notificationId, String eventId, String userId, String status, JsonValue address,
                           JsonObject content) {
    }

    /**
     * The notification as its worker needs it. Not locked: one message carries it, which the
     * broker gives to one consumer at a time, and the failed-attempt record (its own transaction)
     * must be able to update the row.
     */
    public Optional<Delivery> forDelivery(UUID notificationId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT event_id, user_id, status, CAST(address AS text), CAST(content AS text) FROM notification
                        WHERE notification_id = ?1""")
                .setParameter(1, notificationId)
                .getResultList();
        return rows.stream().findFirst().map(row -> new Delivery(notificationId, (String) row[0], (String) row[1],
                (String) row[2], parse((String) row[3]), parse((String) row[4]).asJsonObject()));
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
    public Optional<UUID> recordPending(PublishedEvent event, Channel channel, JsonValue address, Map<String, String> content) {
        JsonObjectBuilder parts = JSON.createObjectBuilder();
        content.forEach(parts::add);
        return insert(event, channel, "pending", address.toString(), parts.build().toString(), null);
    }

    /** A notification that cannot be sent at all (no recipient, no address on this channel), unless the event has one. */
    public void recordFailed(PublishedEvent event, Channel channel, String reason) {
        insert(event, channel, "failed", null, null, reason);
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

    private Optional<UUID> insert(PublishedEvent event, Channel channel, String status, String address, String content,
                                  String error) {
        UUID id = UUID.randomUUID();
        int inserted = em.createNativeQuery("""
                        INSERT INTO notification (notification_id, event_id, user_id, channel, address, content, status, last_error)
                        VALUES (?1, ?2, ?3, ?4, CAST(?5 AS jsonb), CAST(?6 AS jsonb), ?7, ?8)
                        ON CONFLICT (event_id, channel) DO NOTHING""")
                .setParameter(1, id)
                .setParameter(2, event.eventId())
                .setParameter(3, event.userId())
                .setParameter(4, channel.wireName())
                .setParameter(5, address)
                .setParameter(6, content)
                .setParameter(7, status)
                .setParameter(8, error)
                .executeUpdate();
        return inserted == 1 ? Optional.of(id) : Optional.empty();
    }
}
