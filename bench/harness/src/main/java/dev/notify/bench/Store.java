package dev.notify.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;

/** What the system recorded, read from its database: the benchmark counts there, not in logs. */
final class Store implements AutoCloseable {

    private final Connection db;

    private Store(String url, String user, String password) throws SQLException {
        db = DriverManager.getConnection(url, user, password);
    }

    /** The run command's database, as its NOTIFY_* variables (or their defaults) name it. */
    static Store connect() throws SQLException {
        return new Store("jdbc:postgresql://127.0.0.1:" + Benchmark.env("NOTIFY_DB_PORT", "15432") + "/"
                + Benchmark.env("NOTIFY_DB_NAME", "notify"), Benchmark.env("NOTIFY_DB_USER", "notify"),
                Benchmark.env("NOTIFY_DB_PASSWORD", "notify"));
    }

    /** The bare bean's table: not the product's schema, made and emptied by the benchmark. */
    void prepareBareBeanTable() throws SQLException {
        try (Statement sql = db.createStatement()) {
            sql.execute("""
                    CREATE TABLE IF NOT EXISTS bench_bare_bean (
                        message_id  TEXT        PRIMARY KEY,
                        received_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())""");
            sql.execute("TRUNCATE bench_bare_bean");
        }
    }

    /** Some of the bare bean's rows: how many transactions, and in how many seconds. */
    record BareBeanRows(long count, double seconds) {
    }

    /** How many rows the bare bean has written. */
    long bareBeanRowCount() throws SQLException {
        try (Statement sql = db.createStatement();
             ResultSet row = sql.executeQuery("SELECT count(*) FROM bench_bare_bean")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The rows after the first {@code skipped}: how many, and the seconds from the last skipped one to the last. */
    BareBeanRows bareBeanRowsAfter(int skipped) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("""
                SELECT count(*) - 1, EXTRACT(EPOCH FROM max(received_at) - min(received_at))
                FROM (SELECT received_at FROM bench_bare_bean ORDER BY received_at OFFSET ?) AS steady""")) {
            query.setInt(1, skipped - 1);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return new BareBeanRows(row.getLong(1), row.getDouble(2));
            }
        }
    }

    /** Notifications of the phase's events (ids starting with the prefix) that were sent. */
    long sentNotifications(String eventPrefix) throws SQLException {
        return count("SELECT count(*) FROM notification WHERE event_id LIKE ? AND status = 'sent'", eventPrefix);
    }

    /** Notifications of the phase's events that will not be sent: failed or dead-lettered. */
    long unsendableNotifications(String eventPrefix) throws SQLException {
        return count("SELECT count(*) FROM notification WHERE event_id LIKE ? AND status IN ('failed', 'dead-lettered')", eventPrefix);
    }

    /** Events of the phase a subscriber (router, activity) has processed: its dedup claims. */
    long claims(String subscription, String eventPrefix) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("SELECT count(*) FROM processed_event WHERE consumer = ? AND event_id LIKE ?")) {
            query.setString(1, subscription);
            query.setString(2, eventPrefix + "%");
            return single(query);
        }
    }

    /** The ids of the phase's events the system recorded. */
    Set<String> eventIds(String eventPrefix) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (PreparedStatement query = db.prepareStatement("SELECT event_id FROM event WHERE event_id LIKE ?")) {
            query.setString(1, eventPrefix + "%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    long processedEvents(String eventPrefix) throws SQLException {
        return count("SELECT count(*) FROM event WHERE event_id LIKE ? AND status = 'processed'", eventPrefix);
    }

    long unprocessedEvents(String eventPrefix) throws SQLException {
        return count("SELECT count(*) FROM event WHERE event_id LIKE ? AND status <> 'processed'", eventPrefix);
    }

    /** Not settled yet: waiting for its delivery, or held back behind the user's earlier one. */
    long pendingNotifications(String eventPrefix) throws SQLException {
        return count("SELECT count(*) FROM notification WHERE event_id LIKE ? AND status IN ('pending', 'held')", eventPrefix);
    }

    long deadLetteredNotifications(String eventPrefix) throws SQLException {
        return count("SELECT count(*) FROM notification WHERE event_id LIKE ? AND status = 'dead-lettered'", eventPrefix);
    }

    long outboxDepth() throws SQLException {
        try (PreparedStatement query = db.prepareStatement("SELECT count(*) FROM outbox")) {
            return single(query);
        }
    }

    /** Transactions prepared and never committed or rolled back: what XA recovery has left. */
    /**
     * Takes the event's outbox row in a transaction that is then prepared (two-phase commit's first
     * phase) and left so: in doubt, its lock held after this connection closes, as a crash between
     * prepare and commit leaves one. Fails when the row is not there.
     */
    void holdOutboxRowInDoubt(String eventId, String gid) throws SQLException {
        db.setAutoCommit(false);
        try (PreparedStatement lock = db.prepareStatement("SELECT 1 FROM outbox WHERE event_id = ? FOR UPDATE")) {
            lock.setString(1, eventId);
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("no outbox row of " + eventId + " to hold");
                }
            }
        }
        try (Statement prepare = db.createStatement()) {
            prepare.execute("PREPARE TRANSACTION '" + gid + "'");
        }
        db.setAutoCommit(true);
    }

    /** Ends the transaction left in doubt by holdOutboxRowInDoubt: it changed nothing, so a rollback. */
    void resolveInDoubt(String gid) throws SQLException {
        try (Statement rollback = db.createStatement()) {
            rollback.execute("ROLLBACK PREPARED '" + gid + "'");
        }
    }

    /** Payara's Xid format ('J', 'T', 'S') and Narayana's (WildFly's JTA). */
    private static final int PAYARA_FORMAT = 4871251;
    private static final int NARAYANA_FORMAT = 131077;

    /**
     * A transaction branch that the application server prepares in PostgreSQL from now on, by
     * pgjdbc's name for it (format id, global id and branch qualifier, the ids in base 64): one of
     * the load's transactions between its two phases, not one prepared before (left by something
     * else). Empty when none is seen within the time.
     */
    Optional<String> serverBranch(Duration within) throws SQLException {
        long deadline = System.nanoTime() + within.toNanos();
        try (PreparedStatement query = db.prepareStatement("SELECT gid FROM pg_prepared_xacts WHERE gid LIKE ? OR gid LIKE ?")) {
            query.setString(1, PAYARA_FORMAT + "\\_%");
            query.setString(2, NARAYANA_FORMAT + "\\_%");
            Set<String> before = new HashSet<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    before.add(rows.getString(1));
                }
            }
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        if (!before.contains(rows.getString(1))) {
                            return Optional.of(rows.getString(1));
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The name of a branch of another transaction of the same server and run: the sequence number in
     * the global id changed (Payara's first four bytes; the last four of Narayana's Uid), its stamp,
     * server name and branch qualifier kept. No transaction of the server has it, nor will.
     */
    static String branchOfAnotherTransaction(String gid) {
        String[] parts = gid.split("_");
        byte[] globalId = Base64.getDecoder().decode(parts[1]);
        int sequenceAt = switch (Integer.parseInt(parts[0])) {
            case PAYARA_FORMAT -> 0;
            case NARAYANA_FORMAT -> 24;
            default -> throw new IllegalArgumentException("not a branch of Payara's or Narayana's: " + gid);
        };
        for (int i = sequenceAt; i < sequenceAt + 4; i++) {
            globalId[i] ^= 0x5a;
        }
        return parts[0] + "_" + Base64.getEncoder().encodeToString(globalId) + "_" + parts[2];
    }

    /**
     * Prepares, under the branch name, a transaction that holds the router's claim of the event (its
     * row in processed_event, not committed): what the database's branch of a router's transaction
     * holds when the transaction manager forgot it after a failed prepare. The router's own claim
     * of the event then waits for its end: its commit would skip the event, its rollback lets it
     * through. Fails when the event was claimed already.
     */
    void prepareForgottenRouterClaim(String gid, String eventId) throws SQLException {
        db.setAutoCommit(false);
        try (PreparedStatement claim = db.prepareStatement(
                "INSERT INTO processed_event (consumer, event_id) VALUES ('router', ?) ON CONFLICT DO NOTHING")) {
            claim.setString(1, eventId);
            if (claim.executeUpdate() != 1) {
                db.rollback();
                throw new IllegalStateException("the router had claimed " + eventId + " already");
            }
        }
        try (Statement prepare = db.createStatement()) {
            prepare.execute("PREPARE TRANSACTION '" + gid + "'");
        }
        db.setAutoCommit(true);
    }

    /** Notifications sent of the run's events accepted since then, other than the user's. */
    long sentOfEventsAcceptedSince(String prefix, Instant since, String userId) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("""
                SELECT count(*) FROM notification n JOIN event e ON e.event_id = n.event_id
                WHERE e.event_id LIKE ? AND e.accepted_at >= ? AND e.user_id <> ? AND n.status = 'sent'""")) {
            query.setString(1, prefix + "%");
            query.setObject(2, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            query.setString(3, userId);
            return single(query);
        }
    }

    long preparedTransactions() throws SQLException {
        try (PreparedStatement query = db.prepareStatement("SELECT count(*) FROM pg_prepared_xacts")) {
            return single(query);
        }
    }

    /**
     * Each prepared transaction's global id, as far as it is text (pgjdbc names one by the XA id's
     * format, global id and branch qualifier, in base 64; the transaction manager's global id holds
     * the name of the server that began it), and when it was prepared.
     */
    List<String> preparedTransactionDescriptions() throws SQLException {
        List<String> descriptions = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement("SELECT gid, prepared FROM pg_prepared_xacts");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                String[] parts = rows.getString(1).split("_");
                String globalId = parts.length == 3 ? printable(Base64.getDecoder().decode(parts[1])) : rows.getString(1);
                descriptions.add(globalId + " prepared at " + rows.getTimestamp(2).toInstant());
            }
        }
        return descriptions;
    }

    private static String printable(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return text.toString();
    }

    /** A notification, with its event's acceptance and routing (null while not routed), and its last error. */
    record NotificationState(String status, Instant acceptedAt, Instant routedAt, String eventId, String userId, String channel,
                             String lastError) {
    }

    Map<String, NotificationState> notifications(String eventPrefix) throws SQLException {
        Map<String, NotificationState> notifications = new HashMap<>();
        try (PreparedStatement query = db.prepareStatement("""
                SELECT n.notification_id, n.status, e.accepted_at, e.processed_at, n.event_id, n.user_id, n.channel, n.last_error
                FROM notification n JOIN event e USING (event_id)
                WHERE n.event_id LIKE ?""")) {
            query.setString(1, eventPrefix + "%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    notifications.put(rows.getString(1), new NotificationState(rows.getString(2),
                            instant(rows, 3), instant(rows, 4), rows.getString(5), rows.getString(6),
                            rows.getString(7).toLowerCase(java.util.Locale.ROOT), rows.getString(8)));
                }
            }
        }
        return notifications;
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    /** The event each notification of the phase belongs to. */
    Map<String, String> eventsOfNotifications(String eventPrefix) throws SQLException {
        Map<String, String> events = new HashMap<>();
        try (PreparedStatement query = db.prepareStatement("SELECT notification_id, event_id FROM notification WHERE event_id LIKE ?")) {
            query.setString(1, eventPrefix + "%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    events.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return events;
    }

    private long count(String sql, String eventPrefix) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, eventPrefix + "%");
            return single(query);
        }
    }

    private static long single(PreparedStatement query) throws SQLException {
        try (ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
