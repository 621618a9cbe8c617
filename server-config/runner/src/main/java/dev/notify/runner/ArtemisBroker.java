package dev.notify.runner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The ActiveMQ Artemis broker from its distribution: unpacked and given an instance on first
 * start, the instance's broker.xml replaced by the product's on every start. One broker alone, or
 * either broker of an HA pair on a shared store (the cluster).
 */
final class ArtemisBroker {

    static final String BROKER_ROLE = "notify-app";

    /** What a broker is: alone, or the primary or backup of the pair. */
    enum Role {
        ALONE("broker", "Artemis"),
        PRIMARY("broker", "Artemis primary"),
        BACKUP("broker-backup", "Artemis backup");

        /** The instance's folder in the data folder; the primary's is the lone broker's, journal and all. */
        final String instance;
        final String title;

        Role(String instance, String title) {
            this.instance = instance;
            this.title = title;
        }

        /** The port its clients reach it on. */
        int port(Settings settings) {
            return this == BACKUP ? settings.brokerBackupPort() : settings.brokerPort();
        }
    }

    /** Artemis's log line once a backup has joined its primary and waits to take over. */
    private static final String BACKUP_ANNOUNCED = "AMQ221031";

    private ArtemisBroker() {
    }

    static ChildProcess start(Settings settings, Path distribution, Role role) throws Exception {
        Path home = Distribution.unpack(distribution, settings.dataDir().resolve("artemis-home"));
        Path instance = settings.dataDir().resolve(role.instance);
        if (!Files.exists(instance.resolve("bin/artemis"))) {
            ChildProcess.runToEnd(List.of(home.resolve("bin/artemis").toString(), "create", instance.toString(),
                    "--user", settings.brokerUser(), "--password", settings.brokerPassword(), "--role", BROKER_ROLE,
                    "--require-login", "--silent", "--no-web", "--no-autotune", "--no-hornetq-acceptor",
                    "--no-mqtt-acceptor", "--no-stomp-acceptor", "--no-amqp-acceptor"), home);
        }
        writeBrokerXml(instance.resolve("etc/broker.xml"), role);
        // both brokers of the pair keep their store in the primary's folder: that is what they share
        Path store = settings.dataDir().resolve(Role.PRIMARY.instance).resolve("data");
        String properties = "-Dnotify.broker.host=" + settings.brokerHost()
                + " -Dnotify.broker.port=" + role.port(settings)
                + " -Dnotify.broker.data=" + store;
        if (role != Role.ALONE) {
            properties += " -Dnotify.broker.role=" + role.name().toLowerCase()
                    + " -Dnotify.broker.peer=" + (role == Role.PRIMARY ? Role.BACKUP : Role.PRIMARY).name().toLowerCase()
                    + " -Dnotify.broker.primary-host=" + settings.brokerHost()
                    + " -Dnotify.broker.primary-port=" + settings.brokerPort()
                    + " -Dnotify.broker.backup-host=" + settings.brokerBackupHost()
                    + " -Dnotify.broker.backup-port=" + settings.brokerBackupPort()
                    + " -Dnotify.broker.cluster-user=" + settings.brokerUser()
                    + " -Dnotify.broker.cluster-password=" + settings.brokerPassword();
        }
        Map<String, String> environment = Map.of(
                "JAVA_ARGS", "-XX:+UseG1GC -Xms64m -Xmx512m -Dlog4j2.disableJmx=true"
                        + " --add-opens java.base/jdk.internal.misc=ALL-UNNAMED",
                "JAVA_ARGS_APPEND", properties);
        Path log = settings.dataDir().resolve("logs").resolve(role.instance + ".log");
        long logBefore = Files.exists(log) ? Files.size(log) : 0; // the log is kept across restarts
        ChildProcess broker = ChildProcess.start(role.title, List.of(instance.resolve("bin/artemis").toString(), "run"),
                environment, log);
        // a backup opens no port until it takes over: it is ready once its primary knows of it
        broker.awaitReady(Duration.ofSeconds(90), role == Role.BACKUP
                ? () -> logSaysSince(log, logBefore, BACKUP_ANNOUNCED)
                : () -> ChildProcess.listening(settings.brokerHost(), role.port(settings)));
        return broker;
    }

    /** The product's broker.xml; for a broker of the pair, with the pair's settings and the policy of its role. */
    static void writeBrokerXml(Path target, Role role) throws Exception {
        DocumentBuilderFactory parsing = DocumentBuilderFactory.newInstance();
        parsing.setNamespaceAware(true);
        Document broker;
        try (InputStream brokerXml = ArtemisBroker.class.getResourceAsStream("/notify-broker/broker.xml")) {
            broker = parsing.newDocumentBuilder().parse(brokerXml);
        }
        if (role != Role.ALONE) {
            Document pair;
            try (InputStream haPair = ArtemisBroker.class.getResourceAsStream("/notify-broker/ha-pair.xml")) {
                pair = parsing.newDocumentBuilder().parse(haPair);
            }
            Element sharedStore = (Element) pair.getElementsByTagNameNS("*", "shared-store").item(0);
            Node otherRole = sharedStore.getElementsByTagNameNS("*", role == Role.PRIMARY ? "backup" : "primary").item(0);
            sharedStore.removeChild(otherRole);
            Node core = broker.getElementsByTagNameNS("*", "core").item(0);
            for (Node setting = pair.getDocumentElement().getFirstChild(); setting != null; setting = setting.getNextSibling()) {
                core.appendChild(broker.importNode(setting, true));
            }
        }
        var writing = TransformerFactory.newInstance().newTransformer();
        writing.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
        writing.transform(new DOMSource(broker), new StreamResult(target.toFile()));
    }

    /** Whether the log says so after its first {@code offset} bytes. */
    private static boolean logSaysSince(Path log, long offset, String code) {
        try (var reading = Files.newInputStream(log)) {
            reading.skipNBytes(offset);
            return new String(reading.readAllBytes(), StandardCharsets.UTF_8).contains(code);
        } catch (IOException e) {
            return false;
        }
    }
}
