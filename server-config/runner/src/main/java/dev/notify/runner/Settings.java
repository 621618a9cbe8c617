package dev.notify.runner;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runner's configuration: NOTIFY_* environment variables with local defaults. A database or
 * broker host given in the environment means "use that one", otherwise the runner starts its own.
 * A backup broker host given too means that the brokers outside are an HA pair.
 */
record Settings(Path dataDir, int httpPort, int smtpPort, int sinkPort,
                boolean embeddedDatabase, String dbHost, int dbPort, String dbName, String dbUser, String dbPassword,
                boolean embeddedBroker, String brokerHost, int brokerPort, String brokerUser, String brokerPassword,
                boolean brokerPair, String brokerBackupHost, int brokerBackupPort,
                Callers callers) {

    /** Who may call the API; the local defaults are throw-away ones, printed at start. */
    record Callers(String operatorUser, String operatorPassword, String publisherUser, String publisherPassword,
                   String publisherApiKey) {
    }

    static Settings fromEnvironment() {
        return new Settings(
                Path.of(env("NOTIFY_DATA_DIR", "data")).toAbsolutePath(),
                Integer.parseInt(env("NOTIFY_HTTP_PORT", "8080")),
                Integer.parseInt(env("NOTIFY_SMTP_PORT", "2525")),
                Integer.parseInt(env("NOTIFY_SINK_PORT", "8025")),
                System.getenv("NOTIFY_DB_HOST") == null,
                env("NOTIFY_DB_HOST", "127.0.0.1"),
                Integer.parseInt(env("NOTIFY_DB_PORT", "15432")),
                env("NOTIFY_DB_NAME", "notify"),
                env("NOTIFY_DB_USER", "notify"),
                env("NOTIFY_DB_PASSWORD", "notify"),
                System.getenv("NOTIFY_BROKER_HOST") == null,
                env("NOTIFY_BROKER_HOST", "127.0.0.1"),
                Integer.parseInt(env("NOTIFY_BROKER_PORT", "61616")),
                env("NOTIFY_BROKER_USER", "notify"),
                env("NOTIFY_BROKER_PASSWORD", "notify"),
                System.getenv("NOTIFY_BROKER_BACKUP_HOST") != null,
                env("NOTIFY_BROKER_BACKUP_HOST", env("NOTIFY_BROKER_HOST", "127.0.0.1")),
                Integer.parseInt(env("NOTIFY_BROKER_BACKUP_PORT", Integer.toString(Integer.parseInt(env("NOTIFY_BROKER_PORT", "61616")) + 1))),
                new Callers(env("NOTIFY_OPERATOR_USER", "operator"), env("NOTIFY_OPERATOR_PASSWORD", "operator"),
                        env("NOTIFY_PUBLISHER_USER", "publisher"), env("NOTIFY_PUBLISHER_PASSWORD", "publisher"),
                        env("NOTIFY_PUBLISHER_API_KEY", "local-publisher-key")));
    }

    /** The same, with a pair of brokers (the cluster): the clients name both. */
    Settings withBrokerPair() {
        return new Settings(dataDir, httpPort, smtpPort, sinkPort, embeddedDatabase, dbHost, dbPort, dbName, dbUser, dbPassword,
                embeddedBroker, brokerHost, brokerPort, brokerUser, brokerPassword, true, brokerBackupHost, brokerBackupPort,
                callers);
    }

    /** Application instance {@code number} (from 1): HTTP on NOTIFY_HTTP_PORT for the first, on the next port for the second. */
    Instance instance(int number) {
        return new Instance(number, httpPort + number - 1);
    }

    /** What the application server reads (post-boot commands): the same names, every one set. */
    Map<String, String> serverEnvironment(Path artemisRar, Instance instance) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("NOTIFY_HTTP_PORT", Integer.toString(instance.httpPort()));
        env.put("NOTIFY_HTTP_ADDRESS", "127.0.0.1");
        env.put("NOTIFY_DB_HOST", dbHost);
        env.put("NOTIFY_DB_PORT", Integer.toString(dbPort));
        env.put("NOTIFY_DB_NAME", dbName);
        env.put("NOTIFY_DB_USER", dbUser);
        env.put("NOTIFY_DB_PASSWORD", dbPassword);
        env.put("NOTIFY_BROKER_HOST", brokerHost);
        env.put("NOTIFY_BROKER_PORT", Integer.toString(brokerPort));
        // the clients name a backup always (the servers' configuration lists two brokers); without
        // a pair, it is the one broker again
        env.put("NOTIFY_BROKER_BACKUP_HOST", brokerPair ? brokerBackupHost : brokerHost);
        env.put("NOTIFY_BROKER_BACKUP_PORT", Integer.toString(brokerPair ? brokerBackupPort : brokerPort));
        env.put("NOTIFY_BROKER_USER", brokerUser);
        env.put("NOTIFY_BROKER_PASSWORD", brokerPassword);
        env.put("NOTIFY_ARTEMIS_RAR", artemisRar.toString());
        env.put("NOTIFY_TX_LOG_DIR", dataDir.resolve("transactions" + instance.suffix()).toString());
        env.put("NOTIFY_INSTANCE_ID", instance.id());
        env.put("NOTIFY_SMTP_HOST", "127.0.0.1");
        env.put("NOTIFY_SMTP_PORT", Integer.toString(smtpPort));
        env.put("NOTIFY_MAIL_FROM", "notifications@localhost");
        env.put("NOTIFY_SMS_ENDPOINT", sinkUrl() + "/sms");
        env.put("NOTIFY_PUSH_ENDPOINT", sinkUrl() + "/push");
        env.put("NOTIFY_DEAD_LETTER_WEBHOOK", env("NOTIFY_DEAD_LETTER_WEBHOOK", sinkUrl() + "/webhook"));
        env.put("NOTIFY_OPERATOR_USER", callers.operatorUser());
        env.put("NOTIFY_OPERATOR_PASSWORD", callers.operatorPassword());
        env.put("NOTIFY_PUBLISHER_USER", callers.publisherUser());
        env.put("NOTIFY_PUBLISHER_PASSWORD", callers.publisherPassword());
        env.put("NOTIFY_PUBLISHER_API_KEY", callers.publisherApiKey());
        return env;
    }

    String sinkUrl() {
        return "http://127.0.0.1:" + sinkPort;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
