package dev.notify.infrastructure.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

import org.flywaydb.core.Flyway;
import org.hibernate.SessionFactory;
import org.hibernate.resource.jdbc.spi.StatementInspector;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import dev.notify.persistence.Schema;

/**
 * A real PostgreSQL for the stores' tests, no application server: one embedded server per test
 * JVM, migrated by Flyway from the same db/migration as SchemaMigration, with the persistence unit
 * {@code notify} over it resource-local instead of on the server's JTA data source, its mapping
 * checked against the schema as SchemaMigration checks it. The stores get the entity manager of
 * the current transaction, as the container's transaction-scoped one is; a {@code REQUIRES_NEW}
 * method runs in a transaction of its own (its own connection), and messages sent in a transaction
 * reach their queue only if it commits ({@link #afterCommit}), as in the XA transaction. One
 * thread at a time.
 */
public final class TestDatabase {

    private static TestDatabase shared;

    private final EmbeddedPostgres postgres;
    private final EntityManagerFactory factory;
    private final Deque<Transaction> open = new ArrayDeque<>();
    private final EntityManager current;
    /** The tests' own statements, committed at once. */
    private final Connection direct;
    /** The SQL Hibernate sends while {@link #statementsOf} runs its work; null otherwise. */
    private List<String> captured;

    /** One transaction: its entity manager, whether it must roll back, and what waits for its commit. */
    private static final class Transaction {
        final EntityManager em;
        boolean rollbackOnly;
        final List<Runnable> afterCommit = new ArrayList<>();

        Transaction(EntityManager em) {
            this.em = em;
        }
    }

    private TestDatabase() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        DataSource dataSource = postgres.getPostgresDatabase();
        // as Schema.migrations() configures it, on this data source
        Flyway.configure(Schema.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        // Hibernate's own pool on the URL: the embedded server's data source opens a connection each time
        Map<String, Object> resourceLocal = new HashMap<>();
        resourceLocal.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
        resourceLocal.put("jakarta.persistence.jtaDataSource", null);
        resourceLocal.put("jakarta.persistence.jdbc.url", postgres.getJdbcUrl("postgres", "postgres"));
        resourceLocal.put("jakarta.persistence.jdbc.user", "postgres");
        resourceLocal.put("jakarta.persistence.jdbc.password", "postgres");
        resourceLocal.put("hibernate.session_factory.statement_inspector", (StatementInspector) sql -> {
            if (captured != null) {
                captured.add(sql);
            }
            return sql;
        });
        factory = Persistence.createEntityManagerFactory("notify", resourceLocal);
        factory.unwrap(SessionFactory.class).getSchemaManager().validateMappedObjects();
        try {
            direct = dataSource.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        current = (EntityManager) Proxy.newProxyInstance(TestDatabase.class.getClassLoader(), new Class<?>[] {EntityManager.class},
                (proxy, method, args) -> {
                    if (open.isEmpty()) {
                        throw new IllegalStateException("no transaction for " + method.getName());
                    }
                    try {
                        return method.invoke(open.peek().em, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The JVM's database, started and migrated on first use, stopped with the JVM. */
    public static synchronized TestDatabase shared() {
        if (shared == null) {
            try {
                shared = new TestDatabase();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            TestDatabase started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
        }
        return shared;
    }

    private void stop() {
        try {
            direct.close();
        } catch (SQLException e) {
            // the server stops anyway
        }
        factory.close();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entity manager of the current transaction, as @PersistenceContext injects it. */
    public EntityManager entityManager() {
        return current;
    }

    /** Runs the work in a new transaction, committed unless the work fails or calls {@link #setRollbackOnly}. */
    public <T> T transaction(Supplier<T> work) {
        Transaction transaction = new Transaction(factory.createEntityManager());
        open.push(transaction);
        try {
            transaction.em.getTransaction().begin();
            T result;
            try {
                result = work.get();
            } catch (RuntimeException | Error e) {
                transaction.em.getTransaction().rollback();
                throw e;
            }
            if (transaction.rollbackOnly) {
                transaction.em.getTransaction().rollback();
            } else {
                transaction.em.getTransaction().commit();
                transaction.afterCommit.forEach(Runnable::run);
            }
            return result;
        } finally {
            open.pop();
            transaction.em.close();
        }
    }

    public void transaction(Runnable work) {
        transaction(() -> {
            work.run();
            return null;
        });
    }

    /** The current transaction rolls back when its work returns. */
    public void setRollbackOnly() {
        currentTransaction().rollbackOnly = true;
    }

    /** Runs once the current transaction has committed; never if it rolls back. */
    public void afterCommit(Runnable action) {
        currentTransaction().afterCommit.add(action);
    }

    private Transaction currentTransaction() {
        if (open.isEmpty()) {
            throw new IllegalStateException("no transaction");
        }
        return open.peek();
    }

    /** The admin jobs' store given, on this database (a subclass that a test shapes). */
    public <T extends AdminJobs> T adminJobs(T jobs) {
        jobs.em = entityManager();
        return jobs;
    }

    /** Empties every table but Flyway's, and restarts the events' sequence. */
    public void clear() {
        List<String> tables = query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'flyway_schema_history'")
                .stream().map(row -> (String) row.get("tablename")).toList();
        update("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY");
    }

    /** A statement on a connection of its own, committed at once. */
    public int update(String sql, Object... parameters) {
        try (PreparedStatement statement = prepare(direct, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** What a query finds in what is committed, each row by column name. */
    public List<Map<String, Object>> query(String sql, Object... parameters) {
        try (PreparedStatement statement = prepare(direct, sql, parameters);
             ResultSet rows = statement.executeQuery()) {
            ResultSetMetaData columns = rows.getMetaData();
            List<Map<String, Object>> result = new ArrayList<>();
            while (rows.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    row.put(columns.getColumnLabel(i), columns.getColumnTypeName(i).equals("timestamptz")
                            ? rows.getObject(i, OffsetDateTime.class) : rows.getObject(i));
                }
                result.add(row);
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    /** The SQL statements Hibernate sent for the work, in order. */
    public List<String> statementsOf(Runnable work) {
        captured = new ArrayList<>();
        try {
            work.run();
            return captured;
        } finally {
            captured = null;
        }
    }

    /**
     * The plan PostgreSQL caches for a statement once it chooses a generic plan, as it does for a
     * statement the JDBC driver prepares on the server: made for any value of the parameters, so
     * only what the SQL says literally can match a partial index's predicate. The parameters are
     * left unknown (null); the statement is only explained, not run.
     */
    public String genericPlan(String sql) {
        StringBuilder numbered = new StringBuilder();
        int parameters = 0;
        for (char c : sql.toCharArray()) {
            if (c == '?') {
                numbered.append('$').append(++parameters);
            } else {
                numbered.append(c);
            }
        }
        update("SET plan_cache_mode = force_generic_plan");
        update("PREPARE plan_check AS " + numbered);
        try {
            return query("EXPLAIN EXECUTE plan_check(" + String.join(", ", Collections.nCopies(parameters, "NULL")) + ")")
                    .stream().map(row -> (String) row.get("QUERY PLAN")).collect(Collectors.joining("\n"));
        } finally {
            update("DEALLOCATE plan_check");
            update("RESET plan_cache_mode");
        }
    }

    /** A notification's row as stored (the status as its wire string). */
    public Map<String, Object> notification(UUID notificationId) {
        return query("SELECT * FROM notification WHERE notification_id = ?", notificationId).stream().findFirst()
                .orElseThrow(() -> new AssertionError("no notification " + notificationId));
    }

    public String status(UUID notificationId) {
        return (String) notification(notificationId).get("status");
    }

    /** The stores as the container wires them, on this database. */
    public Stores stores() {
        return new Stores(this);
    }

    /** The stores of one test, sharing one DeliveryFailures as the container's beans do. */
    public static final class Stores {
        public final DeliveryFailures failures;
        public final NotificationStore notifications;
        public final EventStore events;
        public final RecipientDirectory recipients;

        Stores(TestDatabase db) {
            failures = new DeliveryFailures() {
                @Override
                public void record(String consumer, String eventId, int attempt, String reason) {
                    db.requiresNew(() -> super.record(consumer, eventId, attempt, reason));
                }
            };
            failures.em = db.entityManager();
            notifications = new NotificationStore() {
                @Override
                public void recordFailedAttempt(UUID notificationId, int attempt, String reason) {
                    db.requiresNew(() -> super.recordFailedAttempt(notificationId, attempt, reason));
                }
            };
            notifications.em = db.entityManager();
            notifications.failures = failures;
            events = new EventStore();
            events.em = db.entityManager();
            recipients = new RecipientDirectory();
            recipients.em = db.entityManager();
        }
    }

    /** {@code @Transactional(REQUIRES_NEW)}: the work in a transaction of its own, committed whatever the caller's does. */
    public void requiresNew(Runnable work) {
        transaction(work);
    }
}
