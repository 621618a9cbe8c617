package dev.notify.bench;

import static dev.notify.bench.Benchmark.env;
import static dev.notify.bench.Benchmark.say;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
    private static final Duration THROTTLING = Duration.ofSeconds(30);
    private static final String RETRY_AFTER_SECONDS = "5";
    private static final Duration SLOWNESS = Duration.ofSeconds(60);
    private static final int SLOW_CALL_SECONDS = 2;
    private static final Duration FREEZE = Duration.ofSeconds(20);
    /** Processes stopped (SIGSTOP) and not yet continued: continued when the harness ends, whatever happened. */
    private static final Set<Long> FROZEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> signal("CONT", List.copyOf(FROZEN))));
    }

    private final RunCommand system;
    private final Api api;
    private final String run;
    /** Each poison message on the topic reaches both subscriptions, and each dead-letters its copy. */
    private static final int SUBSCRIPTIONS = 2;
    private int poisonExpected;
    /** The raw sends of the duplicates scenario, and how many of them failed. */
    private final AtomicInteger rawSends = new AtomicInteger();
    private final AtomicInteger rawSendFailures = new AtomicInteger();
    /** When a broker took connections after the last broker kill; null when none was killed since the last count. */
    private volatile CompletableFuture<Instant> brokerAccepting;

    Faults(RunCommand system, Api api, String run) {
        this.system = system;
        this.api = api;
        this.run = run;
    }

    private static String brokerUrl() {
        int primary = Integer.parseInt(env("NOTIFY_BROKER_PORT", "61616"));
        // both of the cluster's pair, whichever is active (a passive backup does not listen); on one
        // broker nothing listens on the backup's port
        return "(tcp://127.0.0.1:" + primary + ",tcp://127.0.0.1:" + env("NOTIFY_BROKER_BACKUP_PORT", Integer.toString(primary + 1)) + ")";
    }

    /**
     * Injects the scenario's fault and confirms that it happened: a killed process is gone, a
     * provider told to fail answers with that failure, a frozen process is stopped, every poison
     * message was sent. Returns what confirmed it; throws when the fault did not happen.
     */
    String inject(Chaos.Scenario scenario, String prefix) throws Exception {
        return switch (scenario) {
            case SERVER_KILLED -> killAndConfirm(system.server(), "the application server");
            case BROKER_KILLED -> killBroker();
            case DATABASE_RESTARTED -> downFor("database", Duration.ofSeconds(10), this::killDatabase);
            case SMS_PROVIDER_DOWN -> providerFails("sms", "503", SMS_OUTAGE, "", answer -> answer.status() == 503);
            case POISON -> poison(prefix);
            case DUPLICATES -> "the duplicates go with the load"; // counted once the load is over (rawSendsConfirmed)
            case BROKER_DOWN -> downFor("broker", Duration.ofSeconds(30), this::killBroker);
            case HOST_SHUTDOWN -> hostShutdown();
            case INSTANCE_KILLED -> downFor("server-2", Duration.ofSeconds(30), () -> killAndConfirm(system.server(2), "instance 2"));
            case PROVIDER_THROTTLED -> providerFails("sms", "429", THROTTLING, "&retry_after=" + RETRY_AFTER_SECONDS,
                    answer -> answer.status() == 429 && RETRY_AFTER_SECONDS.equals(answer.retryAfter()));
            case PROVIDER_SLOW -> providerFails("push", "slow", SLOWNESS, "&delay=" + SLOW_CALL_SECONDS,
                    answer -> answer.status() == 202 && answer.took().toMillis() >= SLOW_CALL_SECONDS * 1000L);
            case OUTBOX_ROW_IN_DOUBT -> outboxRowInDoubt(prefix);
            case FORGOTTEN_BRANCH -> forgottenBranch(prefix);
            case DATABASE_FROZEN -> freeze("PostgreSQL", system.database());
            case BROKER_FROZEN -> freeze("the broker", List.of(system.broker()));
        };
    }

    /** SIGKILL, then waits for the process's end: confirmed only once it is gone. */
    private String killAndConfirm(ProcessHandle process, String what) throws Exception {
        system.kill(process, true);
        process.onExit().get(30, TimeUnit.SECONDS);
        if (process.isAlive()) {
            throw new IllegalStateException(what + " (pid " + process.pid() + ") is still alive after SIGKILL");
        }
        return what + " (pid " + process.pid() + ") gone";
    }

    private String killDatabase() throws Exception {
        List<ProcessHandle> processes = system.database();
        if (processes.isEmpty()) {
            throw new IllegalStateException("no PostgreSQL process to kill");
        }
        processes.forEach(process -> system.kill(process, true));
        for (ProcessHandle process : processes) {
            process.onExit().get(30, TimeUnit.SECONDS);
        }
        return processes.size() + " PostgreSQL processes gone";
    }

    /**
     * Switches the provider's failure on and probes it: the switch must take the order (204), and
     * the provider must then answer as told. Over before it returns: the next scenario must not
     * start inside it.
     */
    private String providerFails(String provider, String status, Duration duration, String extra,
                                 java.util.function.Predicate<Api.ProbeAnswer> asTold) throws Exception {
        long begin = System.nanoTime();
        api.failProvider(provider, status, duration, extra);
        Api.ProbeAnswer answer = api.probeProvider(provider, run + "-probe-" + provider + "-" + status);
        String note = provider + " answers " + answer.status() + (answer.retryAfter() == null ? "" : " Retry-After " + answer.retryAfter())
                + " in " + answer.took().toMillis() + " ms";
        TimeUnit.NANOSECONDS.sleep(Math.max(0, begin + duration.toNanos() - System.nanoTime()));
        if (!asTold.test(answer)) {
            throw new IllegalStateException("the " + provider + " provider was told " + status + extra + " but " + note);
        }
        return note;
    }

    /** The backlog of the outbox-row-in-doubt scenario: events of one user (numbers that are multiples of Api.USERS). */
    private static final int BACKLOG = 150;
    private static final Duration IN_DOUBT = Duration.ofSeconds(20);

    /**
     * One user's backlog behind an outbox row left in doubt: with the broker held down for 5 s, a
     * batch of that user's events waits in the outbox; a prepared transaction of PostgreSQL's own
     * (PREPARE TRANSACTION, as a crash between prepare and commit leaves one) takes the first of
     * them; the broker comes back. While the row stays held, the other users' events must reach
     * their providers: the fault counts as confirmed only when some did, and the row was held.
     */
    private String outboxRowInDoubt(String prefix) throws Exception {
        List<String> backlog = new ArrayList<>();
        for (int i = 0; i < BACKLOG; i++) {
            backlog.add(prefix + (1_000_000 + i * Api.USERS)); // all the user numbered 0 of the run
        }
        String gid = run + "-in-doubt";
        downFor("broker", Duration.ofSeconds(5), () -> {
            String gone = killAndConfirm(system.broker(), "the broker");
            api.publishBatch(backlog, run);
            try (Store store = Store.connect()) {
                store.holdOutboxRowInDoubt(backlog.get(0), gid);
            }
            return gone;
        });
        Instant heldSince = Instant.now();
        long deliveredWhileHeld;
        try {
            TimeUnit.MILLISECONDS.sleep(IN_DOUBT.toMillis());
            try (Store store = Store.connect()) {
                deliveredWhileHeld = store.sentOfEventsAcceptedSince(prefix, heldSince, api.userOf(backlog.get(0), run));
            }
        } finally {
            try (Store store = Store.connect()) {
                store.resolveInDoubt(gid);
            }
        }
        if (deliveredWhileHeld == 0) {
            throw new IllegalStateException("none of the other users' events accepted in the " + IN_DOUBT.toSeconds()
                    + " s that one user's outbox row was held was sent meanwhile: they waited behind that user's backlog");
        }
        return BACKLOG + " events of one user behind an outbox row held in doubt for " + IN_DOUBT.toSeconds() + " s, "
                + deliveredWhileHeld + " notifications of others' events accepted meanwhile sent meanwhile";
    }

    /**
     * A transaction branch that the server forgot (PostgreSQL killed while it answered a prepare:
     * the prepare recorded, the server seeing it fail and rolling the rest back), made on purpose:
     * the name of another transaction of the server's, taken from one of the load's branches caught
     * between its two phases, prepared holding the router's claim of a user's coming event; then
     * that event and the user's next are published, one request each. Only the server's recovery
     * of such branches lets the event through (a commit would skip it; left alone, the user's
     * notifications wait for good and the branch stays prepared).
     */
    private String forgottenBranch(String prefix) throws Exception {
        String claimed = prefix + (2_000_000 + Api.USERS - 1);
        String next = prefix + (2_000_000 + 2 * Api.USERS - 1);
        String gid;
        try (Store store = Store.connect()) {
            String template = store.serverBranch(Duration.ofSeconds(10)).orElseThrow(() -> new IllegalStateException(
                    "no transaction branch of the server's was seen prepared in 10 s to take its name from"));
            gid = Store.branchOfAnotherTransaction(template);
            store.prepareForgottenRouterClaim(gid, claimed);
        }
        api.publishBatch(List.of(claimed), run);
        api.publishBatch(List.of(next), run);
        return "a branch of the server's prepared holding the router's claim of " + claimed + " (" + gid.substring(0, gid.indexOf('_'))
                + " format), then that event and " + next + " of its user published";
    }

    /**
     * SIGSTOP to the processes, confirmed by their state (T in /proc/PID/stat), for the freeze's
     * length; then SIGCONT: a hang, not a crash. Continued whatever happens.
     */
    private String freeze(String what, List<ProcessHandle> processes) throws Exception {
        if (processes.isEmpty()) {
            throw new IllegalStateException("no process of " + what + " to freeze");
        }
        List<Long> pids = processes.stream().map(ProcessHandle::pid).toList();
        FROZEN.addAll(pids);
        try {
            signal("STOP", pids);
            TimeUnit.MILLISECONDS.sleep(500);
            List<Long> running = pids.stream().filter(pid -> !"T".equals(state(pid))).toList();
            if (!running.isEmpty()) {
                throw new IllegalStateException("of " + what + "'s processes " + running + " are not stopped after SIGSTOP");
            }
            TimeUnit.MILLISECONDS.sleep(FREEZE.toMillis() - 500);
        } finally {
            signal("CONT", pids);
            FROZEN.removeAll(pids);
        }
        List<Long> stillStopped = pids.stream().filter(pid -> "T".equals(state(pid))).toList();
        if (!stillStopped.isEmpty()) {
            throw new IllegalStateException("of " + what + "'s processes " + stillStopped + " are still stopped after SIGCONT");
        }
        return pids.size() + " process(es) of " + what + " stopped (state T) for " + FREEZE.toSeconds() + " s, then continued";
    }

    /** The process's state letter from /proc/PID/stat (R, S, D, T...), or "gone". */
    static String state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (IOException e) {
            return "gone";
        }
    }

    private static void signal(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            new ProcessBuilder(command).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills the broker, or the pair's active one, and watches from its exit for the moment a broker
     * takes connections again: the backup, which opens its port only when it takes over, or the
     * broker the run command starts again.
     */
    private String killBroker() throws Exception {
        ProcessHandle broker = system.broker();
        system.kill(broker, true);
        brokerAccepting = broker.onExit().thenApplyAsync(gone -> {
            Waiting.until(Duration.ofMinutes(5), "a broker to take connections", Faults::aBrokerAccepts, accepts -> accepts);
            return Instant.now();
        });
        broker.onExit().get(30, TimeUnit.SECONDS);
        if (broker.isAlive()) {
            throw new IllegalStateException("the broker (pid " + broker.pid() + ") is still alive after SIGKILL");
        }
        return "the broker (pid " + broker.pid() + ") gone";
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
    private String downFor(String part, Duration down, KillAction kill) throws Exception {
        system.hold(part, true);
        try {
            String gone = kill.run();
            TimeUnit.MILLISECONDS.sleep(down.toMillis());
            return gone + ", held down " + down.toSeconds() + " s";
        } finally {
            system.hold(part, false);
        }
    }

    private interface KillAction {
        String run() throws Exception;
    }

    /** Every process gets SIGTERM at once, the survivors SIGKILL 5 s later; then one start, as after a reboot. */
    private String hostShutdown() throws Exception {
        List<ProcessHandle> all = system.everyProcess();
        all.forEach(process -> system.kill(process, false));
        TimeUnit.SECONDS.sleep(5);
        List<ProcessHandle> survivors = all.stream().filter(ProcessHandle::isAlive).toList();
        survivors.forEach(process -> system.kill(process, true));
        for (ProcessHandle process : all) {
            process.onExit().get(30, TimeUnit.SECONDS);
        }
        if (all.stream().anyMatch(ProcessHandle::isAlive)) {
            throw new IllegalStateException("a process of the system outlived SIGKILL");
        }
        say("  every process is gone; starting the system again");
        system.start();
        return all.size() + " processes gone (" + survivors.size() + " of them needed SIGKILL), started again";
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
    private String poison(String prefix) {
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
        return "every poison message sent (" + poisonExpected + " dead letters expected)";
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
        rawSends.incrementAndGet();
        try (ActiveMQConnectionFactory factory = connectionFactory(); JMSContext jms = factory.createContext()) {
            TextMessage message = jms.createTextMessage(json);
            message.setStringProperty("JMSXGroupID", api.userOf(eventId, run));
            jms.createProducer().send(jms.createTopic("notification.events"), message);
        } catch (JMSException | RuntimeException e) {
            rawSendFailures.incrementAndGet();
            say("  a raw send failed: " + e.getMessage());
        }
    }

    /** The duplicates scenario's fault: every raw send done and none failed; throws otherwise. */
    String rawSendsConfirmed(int events) {
        int sent = rawSends.getAndSet(0);
        int failed = rawSendFailures.getAndSet(0);
        if (sent != events || failed > 0) {
            throw new IllegalStateException(failed + " of " + sent + " raw sends failed (" + events + " events)");
        }
        return "all " + sent + " raw sends succeeded";
    }

    /**
     * The messages in each dead-letter queue (by its address) that are not a run's poison: what the
     * system dead-lettered on its own. Empty when the broker could not be browsed.
     */
    Map<String, Integer> deadLettersNotPoison() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (ActiveMQConnectionFactory factory = connectionFactory(); JMSContext jms = factory.createContext()) {
            for (String address : List.of("notification.events", "notification.email", "notification.sms", "notification.push")) {
                try (QueueBrowser browser = jms.createBrowser(jms.createQueue("DLA::DLQ." + address), POISON_PROPERTY + " IS NULL")) {
                    counts.put(address, Collections.list(browser.getEnumeration()).size());
                }
            }
        } catch (JMSException | RuntimeException e) {
            say("  could not browse the dead-letter queues: " + e.getMessage());
            return Map.of();
        }
        return counts;
    }

    private static ActiveMQConnectionFactory connectionFactory() {
        // a pair may be between its two brokers just after a broker scenario (the backup handing back
        // to the restarted primary): keep trying for a minute rather than fail the next scenario
        String patient = "?ha=true&initialConnectAttempts=120&reconnectAttempts=120&retryInterval=500";
        return new ActiveMQConnectionFactory(brokerUrl() + patient, env("NOTIFY_BROKER_USER", "notify"), env("NOTIFY_BROKER_PASSWORD", "notify"));
    }
}
