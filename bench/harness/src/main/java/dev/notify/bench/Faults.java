package dev.notify.bench;

import static dev.notify.bench.Benchmark.env;
import static dev.notify.bench.Benchmark.say;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.TextMessage;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** The faults of the fault-injection suite, done to the run command's processes and broker as an operator or a crash would. */
final class Faults {

    /** Marks every poison message of a run, so that the dead-letter queues can be searched for them. */
    private static final String POISON_PROPERTY = "chaos_poison";
    private static final List<String> CHANNEL_QUEUES = List.of("notification.email", "notification.sms", "notification.push");
    private static final Duration SMS_OUTAGE = Duration.ofSeconds(60);

    private final RunCommand system;
    private final Api api;
    private final String brokerUrl;
    private final String run;
    /** Each poison message on the topic reaches both subscriptions, and each dead-letters its copy. */
    private static final int SUBSCRIPTIONS = 2;
    private int poisonExpected;
    /** When a broker took connections after the last broker kill; null when none was killed since the last count. */
    private volatile CompletableFuture<Instant> brokerAccepting;

    Faults(RunCommand system, Api api, String brokerUrl, String run) {
        this.system = system;
        this.api = api;
        this.brokerUrl = brokerUrl;
        this.run = run;
    }

    static String brokerUrl() {
        return "tcp://127.0.0.1:" + env("NOTIFY_BROKER_PORT", "61616");
    }

    void inject(Chaos.Scenario scenario, String prefix) {
        try {
            switch (scenario) {
                case SERVER_KILLED -> system.kill(system.server(), true);
                case BROKER_KILLED -> killBroker();
                case DATABASE_RESTARTED -> downFor("database", Duration.ofSeconds(10), () -> system.database().forEach(p -> system.kill(p, true)));
                case SMS_PROVIDER_DOWN -> {
                    api.failProvider("sms", 503, SMS_OUTAGE);
                    // over before the scenario is counted: the next one must not start inside it
                    TimeUnit.MILLISECONDS.sleep(SMS_OUTAGE.toMillis());
                }
                case POISON -> poison(prefix);
                case DUPLICATES -> {
                    // the duplicates go with the load itself
                }
                case BROKER_DOWN -> downFor("broker", Duration.ofSeconds(30), this::killBroker);
                case HOST_SHUTDOWN -> hostShutdown();
                case INSTANCE_KILLED -> downFor("server-2", Duration.ofSeconds(30), () -> system.kill(system.server(2), true));
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not inject " + scenario.key, e);
        }
    }

    /**
     * Kills the broker, or the pair's active one, and watches from its exit for the moment a broker
     * takes connections again: the backup, which opens its port only when it takes over, or the
     * broker the run command starts again.
     */
    private void killBroker() throws IOException {
        ProcessHandle broker = system.broker();
        system.kill(broker, true);
        brokerAccepting = broker.onExit().thenApplyAsync(gone -> {
            Waiting.until(Duration.ofMinutes(5), "a broker to take connections", Faults::aBrokerAccepts, accepts -> accepts);
            return Instant.now();
        });
    }

    private static boolean aBrokerAccepts() {
        int primary = Integer.parseInt(env("NOTIFY_BROKER_PORT", "61616"));
        for (int port : List.of(primary, Integer.parseInt(env("NOTIFY_BROKER_BACKUP_PORT", Integer.toString(primary + 1))))) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException refused) {
                // not this one
            }
        }
        return false;
    }

    /** Seconds from the fault to a broker taking connections after the last broker kill; -1 when no broker was killed. */
    double brokerBackSeconds(Instant fault) {
        CompletableFuture<Instant> accepting = brokerAccepting;
        brokerAccepting = null;
        return accepting == null ? -1 : Duration.between(fault, accepting.join()).toMillis() / 1000.0;
    }

    /** Keeps a part down (the run command's hold file) for a while after killing it, then lets the run command start it. */
    private void downFor(String part, Duration down, KillAction kill) throws Exception {
        system.hold(part, true);
        try {
            kill.run();
            TimeUnit.MILLISECONDS.sleep(down.toMillis());
        } finally {
            system.hold(part, false);
        }
    }

    private interface KillAction {
        void run() throws Exception;
    }

    /** Every process gets SIGTERM at once, the survivors SIGKILL 5 s later; then one start, as after a reboot. */
    private void hostShutdown() throws Exception {
        List<ProcessHandle> all = system.everyProcess();
        all.forEach(process -> system.kill(process, false));
        TimeUnit.SECONDS.sleep(5);
        all.stream().filter(ProcessHandle::isAlive).forEach(process -> system.kill(process, true));
        for (ProcessHandle process : all) {
            process.onExit().get(30, TimeUnit.SECONDS);
        }
        say("  every process is gone; starting the system again");
        system.start();
    }

    /**
     * Waits until the API answers again (after a restart of the server or of everything): the
     * application's own 404, in problem+json; a server whose application is not deployed yet
     * answers 404 too.
     */
    void awaitSystemUp() {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
        Waiting.until(Duration.ofMinutes(5), "the API to answer", () -> {
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + env("NOTIFY_HTTP_PORT", "8080") + "/api/v1/events/chaos-probe"))
                                .header("X-API-Key", env("NOTIFY_PUBLISHER_API_KEY", "local-publisher-key"))
                                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                return answer.statusCode() + " " + answer.headers().firstValue("Content-Type").orElse("");
            } catch (IOException e) {
                return "no answer";
            }
        }, answer -> answer.startsWith("404 application/problem+json"));
    }

    /** What a foreign producer might send: none of it is an event the service can take. */
    private void poison(String prefix) {
        try (ActiveMQConnectionFactory factory = connectionFactory(); JMSContext jms = factory.createContext()) {
            List<Message> poison = new ArrayList<>();
            BytesMessage bytes = jms.createBytesMessage();
            bytes.writeBytes(new byte[] {1, 2, 3});
            poison.add(bytes);
            poison.add(jms.createTextMessage("this is not JSON"));
            poison.add(jms.createTextMessage("{\"event_id\": \"" + prefix + "poison-type\", \"event_type\": \"order.cancelled\","
                    + " \"user_id\": \"u\", \"timestamp\": \"2026-11-27T08:00:00Z\", \"payload\": {}}"));
            poison.add(jms.createTextMessage("{\"padding\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}"));
            for (Message message : poison) {
                message.setStringProperty(POISON_PROPERTY, run);
                jms.createProducer().send(jms.createTopic("notification.events"), message);
                poisonExpected += SUBSCRIPTIONS;
            }
            for (String queue : CHANNEL_QUEUES) {
                TextMessage garbage = jms.createTextMessage("garbage for " + queue);
                garbage.setStringProperty(POISON_PROPERTY, run);
                jms.createProducer().send(jms.createQueue(queue), garbage);
                poisonExpected++;
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "found/expected": the run's poison found in the dead-letter queues with a reason; empty for other scenarios. */
    String poisonFound(Chaos.Scenario scenario) {
        if (scenario != Chaos.Scenario.POISON) {
            return "";
        }
        int found = 0;
        try (ActiveMQConnectionFactory factory = connectionFactory(); JMSContext jms = factory.createContext()) {
            for (String address : List.of("notification.events", "notification.email", "notification.sms", "notification.push")) {
                try (QueueBrowser browser = jms.createBrowser(jms.createQueue("DLA::DLQ." + address),
                        POISON_PROPERTY + " = '" + run + "' AND dead_letter_reason IS NOT NULL")) {
                    found += Collections.list(browser.getEnumeration()).size();
                }
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
        return found + "/" + poisonExpected;
    }

    /** The event once more, straight onto the topic, as another producer would send it: no duplicate id. */
    void publishRawWithoutDuplicateId(String json, String eventId) {
        try (ActiveMQConnectionFactory factory = connectionFactory(); JMSContext jms = factory.createContext()) {
            TextMessage message = jms.createTextMessage(json);
            message.setStringProperty("JMSXGroupID", api.userOf(eventId, run));
            jms.createProducer().send(jms.createTopic("notification.events"), message);
        } catch (JMSException | RuntimeException e) {
            say("  a raw send failed: " + e.getMessage());
        }
    }

    private static ActiveMQConnectionFactory connectionFactory() {
        return new ActiveMQConnectionFactory(brokerUrl(), env("NOTIFY_BROKER_USER", "notify"), env("NOTIFY_BROKER_PASSWORD", "notify"));
    }
}
