package dev.notify.bench;

import static dev.notify.bench.Benchmark.env;
import static dev.notify.bench.Benchmark.round;
import static dev.notify.bench.Benchmark.say;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * The fault-injection suite (bench/chaos.sh): starts the run command's system, puts it under a
 * steady open-loop load of payment.failed events (email, SMS and push each), and injects one fault
 * per scenario while the load runs. After each scenario it waits until nothing is left to do, then
 * counts in the database and at the sinks, by idempotency key, what was accepted, delivered, sent
 * twice, lost or left stuck, and which notifications overtook one of their user's earlier ones.
 * Writes bench/target/chaos.json and chaos.md; exits 1 when a scenario breaks a promise (anything
 * lost, stuck or out of order, a prepared transaction left, a 500, poison not in a dead-letter
 * queue). Arguments: --server S, --cluster, --quick, --rate EVENTS_PER_SECOND, --scenario
 * NAME (repeatable; all by default). With --cluster the brokers are an HA pair: the broker scenarios
 * kill the active one (the primary), the backup takes over, and the primary takes over again once
 * it is back; the recovery is then the failover's time, from the kill to the first delivery of an
 * event accepted after it.
 */
public final class Chaos {

    /** A fault, injected a third into the load, and how it ends (the runner restarts what died unless held). */
    enum Scenario {
        SERVER_KILLED("server-killed", "kill -9 the application server; the run command starts it again"),
        BROKER_KILLED("broker-killed", "kill -9 the broker; the run command starts it again"),
        DATABASE_RESTARTED("database-restarted", "kill -9 PostgreSQL, kept down for 10 s, then started again"),
        SMS_PROVIDER_DOWN("sms-provider-down", "the SMS provider answers 503 for 60 s"),
        POISON("poison", "a foreign producer puts poison on the topic and on every channel queue"),
        DUPLICATES("duplicates", "every event published twice: over REST, and raw over JMS without the duplicate id"),
        BROKER_DOWN("broker-down", "the broker is down for 30 s while publishing goes on (the outbox)"),
        HOST_SHUTDOWN("host-shutdown", "SIGTERM to every process at once, SIGKILL 5 s later, then one start"),
        INSTANCE_KILLED("instance-killed", "with --cluster only: kill -9 the second application instance, kept down 30 s;"
                + " the load goes to both, and to the other while one refuses connections");

        final String key;
        final String description;

        Scenario(String key, String description) {
            this.key = key;
            this.description = description;
        }

        static Scenario of(String key) {
            return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no scenario " + key + "; there are "
                            + Arrays.stream(values()).map(s -> s.key).toList()));
        }
    }

    /** One row of the report, with the keys. */
    record Row(String scenario, long accepted, long processed, long notificationsExpected, long deliveredDistinct,
               long sentTwice, long lost, long stuck, long outOfOrder, long deadLettered, String poisonInDlq, long preparedLeft,
               double brokerBackS, double routedS, double recoveryS, long errors5xx, long errors500, long unanswered) {

        /** A 503 with Retry-After while the database is away is the promised answer; a 500 never is. */
        boolean passed() {
            return lost == 0 && stuck == 0 && outOfOrder == 0 && preparedLeft == 0 && errors500 == 0
                    && (poisonInDlq.isEmpty() || poisonInDlq.split("/")[0].equals(poisonInDlq.split("/")[1]));
        }
    }

    private final RunCommand system;
    private final Api api;
    private final Faults faults;
    private final double rate;
    private final Duration load;
    private final Duration quiescence;
    private final String run;

    private Chaos(RunCommand system, Api api, Faults faults, double rate, Duration load, Duration quiescence, String run) {
        this.system = system;
        this.api = api;
        this.faults = faults;
        this.rate = rate;
        this.load = load;
        this.quiescence = quiescence;
        this.run = run;
    }

    public static void main(String[] args) throws Exception {
        Map<String, List<String>> options = options(args);
        String server = options.getOrDefault("--server", List.of("payara-micro")).get(0);
        boolean quick = options.containsKey("--quick");
        boolean cluster = options.containsKey("--cluster");
        double rate = Double.parseDouble(options.getOrDefault("--rate", List.of(quick ? "20" : "50")).get(0));
        List<Scenario> scenarios = options.containsKey("--scenario")
                // each once: a scenario's events have its name as their ids' prefix, and a second run would count the first's
                ? options.get("--scenario").stream().map(Scenario::of).distinct().toList()
                : Arrays.stream(Scenario.values()).filter(scenario -> cluster || scenario != Scenario.INSTANCE_KILLED).toList();
        if (!cluster && scenarios.contains(Scenario.INSTANCE_KILLED)) {
            throw new IllegalArgumentException(Scenario.INSTANCE_KILLED.key + " needs --cluster: a second instance to go on");
        }
        Path repository = Path.of("").toAbsolutePath();
        Path target = repository.resolve("bench/target");
        // the stalled-work sweep within the wait: what a crash left without a message is sent again
        // after a minute instead of five (the load is light, so nothing waits that long otherwise)
        RunCommand system = new RunCommand(repository, target.resolve("chaos-system"), server, cluster, Map.of(
                "NOTIFY_STALLED_AFTER", env("NOTIFY_STALLED_AFTER", "PT1M"),
                "NOTIFY_STALLED_SWEEP_INTERVAL", env("NOTIFY_STALLED_SWEEP_INTERVAL", "PT10S")));
        say("Starting the system on " + server + (cluster ? ", the brokers as an HA pair" : ""));
        system.start();
        List<Row> rows = new ArrayList<>();
        try {
            String run = "c" + Long.toString(System.currentTimeMillis() / 1000, 36);
            Api api = new Api(system.apiUrls(),
                    "http://127.0.0.1:" + env("NOTIFY_SINK_PORT", "8025"), env("NOTIFY_PUBLISHER_API_KEY", "local-publisher-key"),
                    Api.EventKind.PAYMENT_FAILED);
            api.createRecipients(run);
            Faults faults = new Faults(system, api, Faults.brokerUrl(), run);
            Chaos chaos = new Chaos(system, api, faults, rate, Duration.ofSeconds(quick ? 15 : 60),
                    Duration.ofSeconds(quick ? 120 : 300), run);
            for (Scenario scenario : scenarios) {
                Row row = chaos.scenario(scenario);
                rows.add(row);
                say("  " + row);
            }
        } finally {
            system.stop();
            new ChaosReport(server, cluster, quick, rate, rows).write(target);
        }
        if (!rows.stream().allMatch(Row::passed)) {
            say("A scenario broke a promise: see bench/target/chaos.md");
            System.exit(1);
        }
    }

    /** Runs the load with the scenario's fault, waits for quiescence, and counts. */
    private Row scenario(Scenario scenario) throws Exception {
        String prefix = run + "-" + scenario.key + "-";
        say(scenario.key + ": " + scenario.description + "; " + rate + " events/s for " + load.toSeconds() + " s");
        api.clearSinks();
        Load answers = new Load();
        int events = (int) Math.round(rate * load.toSeconds());
        long period = (long) (1e9 / rate);
        long start = System.nanoTime();
        int faultAt = events / 3;
        Instant faultInstant = null;
        CompletableFuture<Void> fault = null;
        for (int i = 0; i < events; i++) {
            LockSupport.parkNanos(start + i * period - System.nanoTime());
            if (i == faultAt) {
                faultInstant = Instant.now();
                fault = CompletableFuture.runAsync(() -> faults.inject(scenario, prefix));
            }
            String eventId = prefix + i;
            Instant sent = Instant.now(); // before the request leaves: an order it implies is one the system was given
            answers.track(eventId, sent, api.publishAnswer(eventId, run));
            if (scenario == Scenario.DUPLICATES) {
                faults.publishRawWithoutDuplicateId(api.event(eventId, run), eventId);
            }
        }
        answers.awaitAll();
        answers.first500s().forEach(answer -> say("  answered 500: " + answer));
        if (answers.otherAnswers() > 0) {
            say("  answered neither 202 nor 5xx: " + answers.otherAnswers() + " requests");
        }
        if (fault != null) {
            fault.join();
        }
        faults.awaitSystemUp();
        Quiet quiet = awaitQuiescence(prefix);
        if (quiet.prepared() > 0) {
            try (Store store = Store.connect()) {
                store.preparedTransactionDescriptions().forEach(prepared -> say("  still prepared: " + prepared));
            }
        }
        return count(scenario, prefix, answers, faultInstant, quiet);
    }

    /**
     * What was still to do when the wait ended: nothing, when the system is quiet. A prepared
     * transaction is still to do too: the transaction manager resolves one left by a fault.
     */
    private record Quiet(long eventsUnprocessed, long notificationsPending, long outbox, long prepared) {
        boolean quiet() {
            return eventsUnprocessed == 0 && notificationsPending == 0 && outbox == 0 && prepared == 0;
        }
    }

    private Quiet awaitQuiescence(String prefix) {
        long deadline = System.nanoTime() + quiescence.toNanos();
        Quiet state;
        while (true) {
            state = quietState(prefix);
            if (state != null && state.quiet() || System.nanoTime() > deadline) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
        return state == null ? new Quiet(-1, -1, -1, -1) : state;
    }

    /** A connection of its own each time: the database may have been restarted meanwhile. Null while it cannot be reached. */
    private static Quiet quietState(String prefix) {
        try (Store store = Store.connect()) {
            return new Quiet(store.unprocessedEvents(prefix), store.pendingNotifications(prefix), store.outboxDepth(),
                    store.preparedTransactions());
        } catch (SQLException e) {
            return null;
        }
    }

    private Row count(Scenario scenario, String prefix, Load answers, Instant faultInstant, Quiet quiet) throws Exception {
        try (Store store = Store.connect()) {
            return count(store, scenario, prefix, answers, faultInstant, quiet);
        }
    }

    private Row count(Store store, Scenario scenario, String prefix, Load answers, Instant faultInstant, Quiet quiet) throws Exception {
        Set<String> recorded = store.eventIds(prefix);
        long acknowledgedButMissing = answers.accepted().stream().filter(id -> !recorded.contains(id)).count();
        Map<String, Store.NotificationState> notifications = store.notifications(prefix);
        Map<String, List<Instant>> receipts = api.allReceipts();
        long delivered = 0;
        long twice = 0;
        long unaccounted = 0;
        for (Map.Entry<String, Store.NotificationState> notification : notifications.entrySet()) {
            List<Instant> received = receipts.getOrDefault(notification.getKey(), List.of());
            String status = notification.getValue().status();
            if (!received.isEmpty()) {
                delivered++;
                twice += received.size() - 1;
            } else if (status.equals("sent") && scenario != Scenario.HOST_SHUTDOWN) {
                unaccounted++; // marked sent, but no provider has it (the host shutdown restarts the sinks, which forget)
            }
        }
        long processed = store.processedEvents(prefix);
        long expected = recorded.size() * (long) api.notificationsPerEvent();
        long missingNotifications = processed * api.notificationsPerEvent() - notifications.size();
        long lost = acknowledgedButMissing * api.notificationsPerEvent() + missingNotifications + unaccounted;
        long stuck = Math.max(0, quiet.eventsUnprocessed()) + Math.max(0, quiet.notificationsPending());
        List<String> overtaking = outOfOrder(notifications, receipts, answers);
        overtaking.stream().limit(3).forEach(description -> say("  out of order: " + description));
        double recovery = faultInstant == null ? 0 : recoverySeconds(faultInstant, notifications, receipts);
        double routed = faultInstant == null ? 0 : routedSeconds(faultInstant, notifications);
        double brokerBack = faultInstant == null ? -1 : faults.brokerBackSeconds(faultInstant);
        return new Row(scenario.key, recorded.size(), processed, expected, delivered, twice, lost, stuck,
                overtaking.size(), store.deadLetteredNotifications(prefix), faults.poisonFound(scenario),
                store.preparedTransactions(), round(brokerBack), round(routed), round(recovery),
                answers.errors5xx(), answers.errors500(), answers.unanswered());
    }

    /** From the fault to the first routing of an event accepted after it (the database's clock, the same host's). */
    private static double routedSeconds(Instant fault, Map<String, Store.NotificationState> notifications) {
        return notifications.values().stream()
                .filter(n -> n.acceptedAt().isAfter(fault) && n.routedAt() != null)
                .map(Store.NotificationState::routedAt)
                .min(Instant::compareTo)
                .map(first -> Duration.between(fault, first).toMillis() / 1000.0)
                .orElse(-1.0);
    }

    /** From the fault to the first delivery of an event accepted after it. */
    private static double recoverySeconds(Instant fault, Map<String, Store.NotificationState> notifications,
                                          Map<String, List<Instant>> receipts) {
        return notifications.entrySet().stream()
                .filter(n -> n.getValue().acceptedAt().isAfter(fault))
                .flatMap(n -> receipts.getOrDefault(n.getKey(), List.of()).stream())
                .min(Instant::compareTo)
                .map(first -> Duration.between(fault, first).toMillis() / 1000.0)
                .orElse(-1.0);
    }

    /**
     * Notifications that reached their provider before one of the same user's on the same channel
     * whose event was accepted (its 202 received) before this one's event was sent: the order the
     * publisher gave, broken. Events sent while an earlier one of their user was still unanswered
     * have no order between them. Only what reached a provider compares (a dead-lettered
     * notification never does).
     */
    private static List<String> outOfOrder(Map<String, Store.NotificationState> notifications, Map<String, List<Instant>> receipts,
                                           Load answers) {
        Map<String, List<Map.Entry<String, Store.NotificationState>>> byUserAndChannel = notifications.entrySet().stream()
                .filter(n -> receipts.containsKey(n.getKey()) && answers.acceptedAt(n.getValue().eventId()) != null)
                .collect(Collectors.groupingBy(n -> n.getValue().userId() + " " + n.getValue().channel()));
        List<String> overtaking = new ArrayList<>();
        for (List<Map.Entry<String, Store.NotificationState>> ofOneUser : byUserAndChannel.values()) {
            for (Map.Entry<String, Store.NotificationState> later : ofOneUser) {
                Instant sent = answers.sentAt(later.getValue().eventId());
                Instant received = receipts.get(later.getKey()).get(0);
                ofOneUser.stream()
                        .filter(earlier -> answers.acceptedAt(earlier.getValue().eventId()).isBefore(sent)
                                && receipts.get(earlier.getKey()).get(0).isAfter(received))
                        .findFirst()
                        .ifPresent(earlier -> overtaking.add(later.getValue().channel() + " of " + later.getValue().eventId()
                                + " (sent " + sent + ", routed " + later.getValue().routedAt() + ", received " + received + ") before "
                                + earlier.getValue().eventId() + " (accepted " + answers.acceptedAt(earlier.getValue().eventId())
                                + ", routed " + earlier.getValue().routedAt() + ", received " + receipts.get(earlier.getKey()).get(0) + ")"));
            }
        }
        return overtaking;
    }

    /** The answers to the load's requests. */
    private static final class Load {
        private final Map<String, Instant> sentAt = new ConcurrentHashMap<>();
        /** When each accepted event's 202 arrived. */
        private final Map<String, Instant> acceptedAt = new ConcurrentHashMap<>();
        private final AtomicInteger errors5xx = new AtomicInteger();
        private final AtomicInteger errors500 = new AtomicInteger();
        private final AtomicInteger unanswered = new AtomicInteger();
        /** Neither 202 nor 5xx: a 404 from a server whose application is not deployed, say. */
        private final AtomicInteger otherAnswers = new AtomicInteger();
        /** What the first few 500s said, to find where they come from. */
        private final List<String> first500s = new CopyOnWriteArrayList<>();
        private final List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();

        void track(String eventId, Instant sent, CompletableFuture<HttpResponse<String>> answer) {
            sentAt.put(eventId, sent);
            pending.add(answer.whenComplete((response, failure) -> {
                if (failure != null) {
                    unanswered.incrementAndGet();
                } else if (response.statusCode() == 202) {
                    acceptedAt.put(eventId, Instant.now());
                } else if (response.statusCode() < 500) {
                    otherAnswers.incrementAndGet();
                } else {
                    errors5xx.incrementAndGet();
                    if (response.statusCode() == 500) {
                        errors500.incrementAndGet();
                        if (first500s.size() < 3) {
                            String body = response.body();
                            first500s.add(Instant.now() + " " + body.substring(0, Math.min(300, body.length())).replace('\n', ' '));
                        }
                    }
                }
            }));
        }

        List<String> first500s() {
            return first500s;
        }

        int otherAnswers() {
            return otherAnswers.get();
        }

        void awaitAll() {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
        }

        Set<String> accepted() {
            return acceptedAt.keySet();
        }

        Instant sentAt(String eventId) {
            return sentAt.get(eventId);
        }

        /** Null when the event was not accepted. */
        Instant acceptedAt(String eventId) {
            return acceptedAt.get(eventId);
        }

        long errors5xx() {
            return errors5xx.get();
        }

        long errors500() {
            return errors500.get();
        }

        long unanswered() {
            return unanswered.get();
        }
    }

    private static Map<String, List<String>> options(String[] args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick", "--cluster" -> options.put(args[i], List.of());
                case "--server", "--rate", "--scenario" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException(args[i] + " needs a value");
                    }
                    options.computeIfAbsent(args[i], key -> new ArrayList<>()).add(args[++i]);
                }
                default -> throw new IllegalArgumentException("usage: [--server payara-micro|payara|wildfly] [--cluster] [--quick] "
                        + "[--rate EVENTS_PER_SECOND] [--scenario NAME]... (given: " + String.join(" ", args) + ")");
            }
        }
        return options;
    }
}
