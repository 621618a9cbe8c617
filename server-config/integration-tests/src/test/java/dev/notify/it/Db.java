package dev.notify.it;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.json.JsonObject;

/** The application's database, read directly. */
final class Db {

    private Db() {
    }

    static int processedCount(String consumer, String eventId) {
        return query("SELECT count(*) FROM processed_event WHERE consumer = ? AND event_id = ?",
                rows -> rows.next() ? rows.getInt(1) : 0, consumer, eventId);
    }

    /** The recorded failures of an event, in attempt order. */
    static List<Failure> failures(String consumer, String eventId) {
        return query("SELECT attempt, failed_at, reason FROM delivery_failure WHERE consumer = ? AND event_id = ? ORDER BY attempt",
                rows -> {
                    List<Failure> failures = new ArrayList<>();
                    while (rows.next()) {
                        failures.add(new Failure(rows.getInt(1), rows.getObject(2, OffsetDateTime.class), rows.getString(3)));
                    }
                    return failures;
                }, consumer, eventId);
    }

    /** Records a consumer's event id as processed at the given time, as the consumer would have. */
    static void insertProcessed(String consumer, String eventId, OffsetDateTime processedAt) {
        query("INSERT INTO processed_event (consumer, event_id, processed_at) VALUES (?, ?, ?) RETURNING 1",
                ResultSet::next, consumer, eventId, processedAt);
    }

    static String status(String eventId) {
        return query("SELECT status FROM event WHERE event_id = ?", rows -> rows.next() ? rows.getString(1) : null, eventId);
    }

    static OffsetDateTime processedAt(String eventId) {
        return query("SELECT processed_at FROM event WHERE event_id = ?",
                rows -> rows.next() ? rows.getObject(1, OffsetDateTime.class) : null, eventId);
    }

    /** How many notifications on the channel are sent. */
    static int sentCount(String channel) {
        return query("SELECT count(*) FROM notification WHERE channel = ? AND status = 'sent'",
                rows -> rows.next() ? rows.getInt(1) : 0, channel);
    }

    /** How many notifications on the channel are on their way: pending or held. */
    static int unsettledCount(String channel) {
        return query("SELECT count(*) FROM notification WHERE channel = ? AND status IN ('pending', 'held')",
                rows -> rows.next() ? rows.getInt(1) : 0, channel);
    }

    /** How many rows of the table have a key (event_id, user_id, ...) that starts so. */
    static int countStartingWith(String table, String keyColumn, String prefix) {
        return query("SELECT count(*) FROM " + table + " WHERE " + keyColumn + " LIKE ? || '%'",
                rows -> rows.next() ? rows.getInt(1) : 0, prefix);
    }

    /** Forgets an event's notifications, as a lost or restored database would. */
    static void deleteNotifications(String eventId) {
        query("DELETE FROM notification WHERE event_id = ? RETURNING 1", ResultSet::next, eventId);
    }

    /** Makes a notification wait again as if its message had been lost: pending, dispatched an hour ago. */
    static void loseMessageOf(String notificationId) {
        query("UPDATE notification SET status = 'pending', dispatched_at = now() - interval '1 hour' WHERE notification_id = ?::uuid RETURNING 1",
                ResultSet::next, notificationId);
    }

    /**
     * Makes a notification wait as if it had been held and its release then lost (the release's
     * transaction failed after the one before it settled): held, nothing holding it back, an hour ago.
     */
    static void loseReleaseOf(String notificationId) {
        query("UPDATE notification SET status = 'held', dispatched_at = now() - interval '1 hour' WHERE notification_id = ?::uuid RETURNING 1",
                ResultSet::next, notificationId);
    }

    /** Marks a notification dead-lettered after its last attempt failed at the time. */
    static void deadLetteredAt(String notificationId, OffsetDateTime failedAt) {
        query("""
                WITH dead AS (UPDATE notification SET status = 'dead-lettered', attempts = 5 WHERE notification_id = ?::uuid
                              RETURNING event_id, 'notification.' || channel AS consumer)
                INSERT INTO delivery_failure (consumer, event_id, attempt, failed_at, reason)
                SELECT consumer, event_id, 5, ?, 'answered 503' FROM dead RETURNING 1""", ResultSet::next, notificationId, failedAt);
    }

    /** A row lock held by a transaction of the test's own until closed (rolled back), as one left in doubt holds it. */
    interface RowLock extends AutoCloseable {
        @Override
        void close();
    }

    static RowLock lockOutboxRowOf(String eventId) {
        try {
            Connection connection = DriverManager.getConnection(url(), System.getenv("NOTIFY_DB_USER"), System.getenv("NOTIFY_DB_PASSWORD"));
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement("SELECT 1 FROM outbox WHERE event_id = ? FOR UPDATE")) {
                lock.setString(1, eventId);
                try (ResultSet rows = lock.executeQuery()) {
                    if (!rows.next()) {
                        throw new IllegalStateException("no outbox row of " + eventId);
                    }
                }
            }
            return () -> {
                try (connection) {
                    connection.rollback();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            };
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Gives a notification another id for a while, as if its row were not committed yet. */
    static void hideNotification(String notificationId) {
        query("UPDATE notification SET notification_id = ?::uuid WHERE notification_id = ?::uuid RETURNING 1", ResultSet::next,
                hiddenId(notificationId), notificationId);
    }

    /** Shows a hidden notification again, pending, as its commit would. */
    static void showNotificationPending(String notificationId) {
        query("UPDATE notification SET notification_id = ?::uuid, status = 'pending' WHERE notification_id = ?::uuid RETURNING 1",
                ResultSet::next, notificationId, hiddenId(notificationId));
    }

    private static String hiddenId(String notificationId) {
        return UUID.nameUUIDFromBytes(("hidden " + notificationId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static void setNotificationStatus(String notificationId, String status) {
        query("UPDATE notification SET status = ? WHERE notification_id = ?::uuid RETURNING 1", ResultSet::next, status, notificationId);
    }

    /** Records an event as accepted an hour ago, with no message in the outbox: as if its message had been lost. */
    static void insertAcceptedWithoutMessage(JsonObject event) {
        query("""
                INSERT INTO event (event_id, event_type, user_id, occurred_at, payload, status, accepted_at)
                VALUES (?, ?, ?, ?::timestamptz, ?::jsonb, 'accepted', now() - interval '1 hour') RETURNING 1""",
                ResultSet::next, event.getString("event_id"), event.getString("event_type"), event.getString("user_id"),
                event.getString("timestamp"), event.getJsonObject("payload").toString());
    }

    static String notificationStatus(String notificationId) {
        return query("SELECT status FROM notification WHERE notification_id = ?::uuid",
                rows -> rows.next() ? rows.getString(1) : null, notificationId);
    }

    /** A server setting as PostgreSQL reports it ({@code SHOW}). */
    static String setting(String name) {
        return query("SELECT current_setting(?)", rows -> rows.next() ? rows.getString(1) : null, name);
    }

    record Failure(int attempt, OffsetDateTime failedAt, String reason) {
    }

    /**
     * A running dead-letter retry as an instance left it: its owner, when that renewed the lease,
     * and how far it had got (the total it listed, up to the broker's message id {@code lastMessageId}).
     */
    static UUID insertRunningRetry(String queue, String selectionJson, String owner, OffsetDateTime heartbeatAt,
                                   int total, int done, long lastMessageId) {
        UUID id = UUID.randomUUID();
        query("""
                INSERT INTO admin_job (job_id, kind, source, selection, rate_per_second, status, owner, heartbeat_at,
                                       total, done, last_message_id, started_at)
                VALUES (?, 'dead-letter-retry', ?, CAST(? AS jsonb), 10, 'running', ?, ?, ?, ?, ?, now()) RETURNING 1""",
                ResultSet::next, id, queue, selectionJson, owner, heartbeatAt, total, done, lastMessageId);
        return id;
    }

    /**
     * Whether the database refuses a second running history replay: both rows inserted in one
     * transaction, which is rolled back either way (no instance ever sees them). The SQL state of
     * the refusal, or null when both were taken.
     */
    static String secondRunningHistoryReplayRefused() {
        try (Connection connection = DriverManager.getConnection(url(), System.getenv("NOTIFY_DB_USER"), System.getenv("NOTIFY_DB_PASSWORD"))) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO admin_job (job_id, kind, source, target, selection, rate_per_second, status, owner)
                    VALUES (?, 'history-replay', 'notification.events', 'router', '{}'::jsonb, 10, 'running', 'it-nobody')""")) {
                insert.setObject(1, UUID.randomUUID());
                insert.executeUpdate();
                insert.setObject(1, UUID.randomUUID());
                insert.executeUpdate();
                return null;
            } catch (SQLException refused) {
                return refused.getSQLState();
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lets a lease expire at the time, as if an instance had taken it until then. */
    static void leaseExpires(String lease, OffsetDateTime at) {
        query("UPDATE lease SET expires_at = ? WHERE name = ? RETURNING 1", ResultSet::next, at, lease);
    }

    /** Who took a lease last, and until when. */
    static Lease lease(String name) {
        return query("SELECT owner, expires_at FROM lease WHERE name = ?",
                rows -> rows.next() ? new Lease(rows.getString(1), rows.getObject(2, OffsetDateTime.class)) : null, name);
    }

    record Lease(String owner, OffsetDateTime expiresAt) {
    }

    /** The version of the last migration applied. */
    static String schemaVersion() {
        return query("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank DESC LIMIT 1",
                rows -> rows.next() ? rows.getString(1) : null);
    }

    /**
     * Turns the application away from its database, as a lost PostgreSQL would: no new connection,
     * and every open one ended. From the server's {@code postgres} database, which stays open.
     */
    static void refuseConnections() {
        onServer("ALTER DATABASE " + System.getenv("NOTIFY_DB_NAME") + " ALLOW_CONNECTIONS false",
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" + System.getenv("NOTIFY_DB_NAME") + "'");
    }

    static void acceptConnections() {
        onServer("ALTER DATABASE " + System.getenv("NOTIFY_DB_NAME") + " ALLOW_CONNECTIONS true");
    }

    private static void onServer(String... statements) {
        String url = "jdbc:postgresql://127.0.0.1:" + System.getenv("NOTIFY_DB_PORT") + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, System.getenv("NOTIFY_DB_USER"), System.getenv("NOTIFY_DB_PASSWORD"));
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    interface Rows<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private static String url() {
        return "jdbc:postgresql://127.0.0.1:" + System.getenv("NOTIFY_DB_PORT") + "/" + System.getenv("NOTIFY_DB_NAME");
    }

    private static <T> T query(String sql, Rows<T> reader, Object... parameters) {
        try (Connection connection = DriverManager.getConnection(url(), System.getenv("NOTIFY_DB_USER"), System.getenv("NOTIFY_DB_PASSWORD"));
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return reader.read(rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
