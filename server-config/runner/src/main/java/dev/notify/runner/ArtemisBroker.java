package dev.notify.runner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The ActiveMQ Artemis broker from its distribution: unpacked and given an instance on first
 * start, the instance's broker.xml replaced by the product's on every start.
 */
final class ArtemisBroker {

    static final String BROKER_ROLE = "notify-app";

    private ArtemisBroker() {
    }

    static ChildProcess start(Settings settings, Path distribution) throws IOException, InterruptedException {
        Path home = Distribution.unpack(distribution, settings.dataDir().resolve("artemis-home"));
        Path instance = settings.dataDir().resolve("broker");
        if (!Files.exists(instance.resolve("bin/artemis"))) {
            ChildProcess.runToEnd(List.of(home.resolve("bin/artemis").toString(), "create", instance.toString(),
                    "--user", settings.brokerUser(), "--password", settings.brokerPassword(), "--role", BROKER_ROLE,
                    "--require-login", "--silent", "--no-web", "--no-autotune", "--no-hornetq-acceptor",
                    "--no-mqtt-acceptor", "--no-stomp-acceptor", "--no-amqp-acceptor"), home);
        }
        try (InputStream brokerXml = ArtemisBroker.class.getResourceAsStream("/notify-broker/broker.xml")) {
            Files.copy(brokerXml, instance.resolve("etc/broker.xml"), StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, String> environment = Map.of(
                "JAVA_ARGS", "-XX:+UseG1GC -Xms64m -Xmx512m -Dlog4j2.disableJmx=true"
                        + " --add-opens java.base/jdk.internal.misc=ALL-UNNAMED",
                "JAVA_ARGS_APPEND", "-Dnotify.broker.host=" + settings.brokerHost()
                        + " -Dnotify.broker.port=" + settings.brokerPort()
                        + " -Dnotify.broker.data=" + instance.resolve("data"));
        ChildProcess broker = ChildProcess.start("Artemis",
                List.of(instance.resolve("bin/artemis").toString(), "run"), environment,
                settings.dataDir().resolve("logs/broker.log"));
        broker.awaitReady(Duration.ofSeconds(90), () -> ChildProcess.listening(settings.brokerHost(), settings.brokerPort()));
        return broker;
    }
}
