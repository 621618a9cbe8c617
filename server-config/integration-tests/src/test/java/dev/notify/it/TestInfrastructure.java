package dev.notify.it;

import java.nio.file.Path;

import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import dev.notify.runner.Directories;
import dev.notify.runner.EmbeddedDatabase;
import dev.notify.runner.LocalSinks;
import dev.notify.runner.PayaraServer;

/**
 * Starts the real PostgreSQL, the real Artemis broker (with the product's broker.xml) and the local
 * SMTP and provider sinks once, before the first test class starts its application server, on the
 * ports the build gives in NOTIFY_* variables (which the server reads too). Fresh data on every run.
 */
public class TestInfrastructure implements LauncherSessionListener {

    static final String USER = System.getenv("NOTIFY_BROKER_USER");
    static final String PASSWORD = System.getenv("NOTIFY_BROKER_PASSWORD");

    private static EmbeddedDatabase database;
    private static Path databaseData;
    private static EmbeddedActiveMQ broker;
    private static Path brokerData;
    private static LocalSinks sinks;
    private static PayaraServer payaraServer;

    /** Payara Server's ports count from here (administration on 24848, as arquillian.xml says). */
    private static final int PAYARA_PORT_BASE = 24800;

    @Override
    public synchronized void launcherSessionOpened(LauncherSession session) {
        if (broker != null || System.getenv("NOTIFY_DB_PORT") == null) {
            return; // already up, or not a run of this suite (an IDE without the build's environment)
        }
        try {
            Path data = Path.of(System.getProperty("it.data"));
            Directories.deleteRecursively(data);
            databaseData = data.resolve("postgres");
            database = startDatabase();
            brokerData = data.resolve("broker");
            broker = startBroker(brokerData);
            sinks = LocalSinks.start(intEnv("NOTIFY_SMTP_PORT"), intEnv("NOTIFY_SINK_PORT"));
            if (System.getProperty("it.payara.home") != null) {
                payaraServer = startPayaraServer(data);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not start the test database and broker", e);
        }
    }

    private static EmbeddedDatabase startDatabase() throws Exception {
        return EmbeddedDatabase.start(databaseData, intEnv("NOTIFY_DB_PORT"),
                System.getenv("NOTIFY_DB_NAME"), System.getenv("NOTIFY_DB_USER"), System.getenv("NOTIFY_DB_PASSWORD"));
    }

    private static EmbeddedActiveMQ startBroker(Path data) throws Exception {
        System.setProperty("notify.broker.host", System.getenv("NOTIFY_BROKER_HOST"));
        System.setProperty("notify.broker.port", System.getenv("NOTIFY_BROKER_PORT"));
        System.setProperty("notify.broker.data", data.toString());
        SecurityConfiguration users = new SecurityConfiguration();
        users.addUser(USER, PASSWORD);
        users.addRole(USER, "notify-app");
        EmbeddedActiveMQ embedded = new EmbeddedActiveMQ()
                .setConfigResourcePath("notify-broker/broker.xml")
                .setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
        embedded.start();
        return embedded;
    }

    /** The run command's Payara Server start, with this suite's environment; Arquillian deploys into it. */
    private static PayaraServer startPayaraServer(Path data) throws Exception {
        Path runtime = Path.of(System.getProperty("it.runtime"));
        return PayaraServer.start(Path.of(System.getProperty("it.payara.home")), runtime.resolve("payara-server"),
                Path.of(System.getProperty("postboot.file")), runtime.resolve("notify-payara-agent.jar"),
                data.resolve("payara-domains"), PAYARA_PORT_BASE,
                intEnv("NOTIFY_HTTP_PORT"), System.getenv(), data.resolve("payara-server.log"));
    }

    @Override
    public synchronized void launcherSessionClosed(LauncherSession session) {
        try {
            if (payaraServer != null) {
                payaraServer.close();
            }
            if (sinks != null) {
                sinks.close();
            }
            if (broker != null) {
                broker.stop();
            }
            if (database != null) {
                database.close();
            }
        } catch (Exception e) {
            System.err.println("While stopping the test database and broker: " + e);
        }
    }

    static EmbeddedActiveMQ broker() {
        return broker;
    }

    /** Runs the action while PostgreSQL is stopped, and starts it again (with its data) afterwards. */
    static void whileDatabaseIsDown(Runnable action) {
        whileDown("PostgreSQL", () -> database.close(), () -> database = startDatabase(), action);
    }

    /** Runs the action while the broker is stopped, and starts it again (with its journal) afterwards. */
    static void whileBrokerIsDown(Runnable action) {
        whileDown("the broker", () -> broker.stop(), () -> broker = startBroker(brokerData), action);
    }

    private interface Step {
        void run() throws Exception;
    }

    private static synchronized void whileDown(String what, Step stop, Step start, Runnable action) {
        try {
            stop.run();
            try {
                action.run();
            } finally {
                start.run();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not stop and start " + what, e);
        }
    }

    static LocalSinks sinks() {
        return sinks;
    }

    static int intEnv(String name) {
        return Integer.parseInt(System.getenv(name));
    }
}
