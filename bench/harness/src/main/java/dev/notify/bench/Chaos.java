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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 * Writes bench/target/chaos.json and chaos.md; exits 1 when a scenario breaks a promise
 * (Row.failures): fewer events accepted than the scenario's floor (every event, or those sent while
 * the API was up); an accepted event's notification neither at its provider's sink nor
 * dead-lettered; a notification dead-lettered or failed, or a message in a dead-letter queue, that
 * the scenario's own fault does not explain (only the SMS channel in sms-provider-down); a
 * notification sent twice more often than the provider calls in flight at a kill allow (none where
 * nothing is killed); anything stuck or out of order, a prepared transaction left, a 500, poison not
 * in a dead-letter queue; a fault that cannot be confirmed (the killed process still alive, the
 * provider not answering with the failure it was told, a frozen process not stopped, a raw send that
 * failed); the stalled-work sweep sending anything again where no process was killed; a system that
 * does not answer again by itself within 5 min of the fault (the suite then starts it again, so that
 * the other scenarios run). The suite runs the application with NOTIFY_STALLED_AFTER=PT1M (the
 * default is five minutes), so that what a crash leaves without a message is sent again within the
 * wait; since each scenario now counts what the sweep sent again (swept, from the application's
 * "Sent again after" warnings in the servers' logs since the scenario began), the shorter delay
 * shows the sweep's work rather than hiding it. Arguments: --server S, --cluster, --quick, --rate EVENTS_PER_SECOND, --scenario
 * NAME (repeatable; all by default). With --cluster the brokers are an HA pair: the broker scenarios
 * kill the active one (the primary), the backup takes over, and the primary takes over again once
 * it is back; the recovery is then the failover's time, from the kill to the first delivery of an
 * event accepted after it.
 */
public final class Chaos {

    /** Which events a scenario must accept at least: its floor. */
    enum Floor {
        /** Every event: nothing the API needs is taken down. */
        ALL,
        /** Every event but those sent within a second either side of the fault: only requests in flight at a kill may go unanswered. */
        ALL_BUT_AT_FAULT,
        /** The events sent up to a second before the fault: the API is down or hung from then on. */
        BEFORE_FAULT;

        /** The floor for {@code events} sent at {@code rate} a second, the fault at the event numbered {@code faultAt}. */
        long of(int events, int faultAt, double rate) {
            long second = (long) Math.ceil(rate);
            return switch (this) {
                case ALL -> events;
                case ALL_BUT_AT_FAULT -> Math.max(0, events - 2 * second);
                case BEFORE_FAULT -> Math.max(0, faultAt - second);
            };
        }
    }

    /**
     * Which processes a scenario kills: a provider call in flight there may be made again, and the
     * sweep may have work. A freeze longer than the clients' call timeout (10 s) ends the
     * transactions in flight as a kill does, so it counts as one: their provider calls were made,
     * their commits fail, and the redelivery makes them again (the providers drop the repeat by
     * its idempotency key).
     */
    enum Kill {
        NONE, ONE_INSTANCE, EVERY_INSTANCE,
        /**
         * The broker: every instance, and on an HA pair twice, since the clients move twice: to the
         * backup at the kill, and back to the primary once it has started again (the failback). Seen
         * in the cluster's broker-killed: sends repeated at the kill and again at the failback 20 s
         * later, some notifications three times (28 sent twice, CI run of 29e5124).
         */
        BROKER;

        /**
         * The channel workers' consumers of the instances the kill reaches, once per interruption:
         * the provider calls that can be in flight and made again.
         */
        long callsInFlight(int instances, boolean brokerPair) {
            return switch (this) {
                case NONE -> 0;
                case ONE_INSTANCE -> CHANNEL_CALLS_PER_INSTANCE;
                case EVERY_INSTANCE -> (long) CHANNEL_CALLS_PER_INSTANCE * instances;
                case BROKER -> (long) CHANNEL_CALLS_PER_INSTANCE * instances * (brokerPair ? 2 : 1);
            };
        }
    }

    /**
     * The provider calls an instance can have in flight: maxSession 4 of each channel worker
     * (EmailWorker, SmsWorker, PushWorker's activation config) times the 3 channels. A kill (of the
     * server, or of the broker or the database under its transaction) between a call and its
     * commit makes that call again; nothing else may.
     */
    static final int CHANNEL_CALLS_PER_INSTANCE = 4 * 3;

    /**
     * A fault, injected a third into the load, and how it ends (the runner restarts what died unless
     * held): the events it must accept at least, what it kills, and the channel whose notifications
     * it may leave failed or dead-lettered (null: none).
     */
    enum Scenario {
        SERVER_KILLED("server-killed", "kill -9 the application server; the run command starts it again",
                Floor.BEFORE_FAULT, Kill.ONE_INSTANCE, null),
        BROKER_KILLED("broker-killed", "kill -9 the broker; the run command starts it again",
                Floor.ALL_BUT_AT_FAULT, Kill.BROKER, null),
        DATABASE_RESTARTED("database-restarted", "kill -9 PostgreSQL, kept down for 10 s, then started again",
                Floor.BEFORE_FAULT, Kill.EVERY_INSTANCE, null),
        SMS_PROVIDER_DOWN("sms-provider-down", "the SMS provider answers 503 for 60 s", Floor.ALL, Kill.NONE, "sms"),
        POISON("poison", "a foreign producer puts poison on the topic and on every channel queue", Floor.ALL, Kill.NONE, null),
        DUPLICATES("duplicates", "every event published twice: over REST, and raw over JMS without the duplicate id",
                Floor.ALL, Kill.NONE, null),
        BROKER_DOWN("broker-down", "the broker is down for 30 s while publishing goes on (the outbox)",
                Floor.ALL_BUT_AT_FAULT, Kill.BROKER, null),
        HOST_SHUTDOWN("host-shutdown", "SIGTERM to every process at once, SIGKILL 5 s later, then one start",
                Floor.BEFORE_FAULT, Kill.EVERY_INSTANCE, null),
        INSTANCE_KILLED("instance-killed", "with --cluster only: kill -9 the second application instance, kept down 30 s;"
                + " the load goes to both, and to the other while one refuses connections", Floor.ALL_BUT_AT_FAULT, Kill.ONE_INSTANCE, null),
        PROVIDER_THROTTLED("provider-throttled", "the SMS provider answers 429 with Retry-After: 5 for 30 s", Floor.ALL, Kill.NONE, null),
        DATABASE_FROZEN("database-frozen", "PostgreSQL's processes stopped (SIGSTOP) for 20 s, then continued: a hang, not a crash",
                Floor.BEFORE_FAULT, Kill.EVERY_INSTANCE, null),
        BROKER_FROZEN("broker-frozen", "the broker stopped (SIGSTOP) for 20 s, then continued", Floor.BEFORE_FAULT,
                Kill.EVERY_INSTANCE, null),
        PROVIDER_SLOW("provider-slow", "the push provider takes 2 s a call for 60 s (within the application's 5 s read timeout)",
                Floor.ALL, Kill.NONE, null),
        OUTBOX_ROW_IN_DOUBT("outbox-row-in-doubt", "one user's backlog of 150 events waits in the outbox (the broker down 5 s)"
                + " behind a row that a prepared transaction holds for 20 s; the other users' events must go on meanwhile",
                Floor.ALL_BUT_AT_FAULT, Kill.EVERY_INSTANCE, null),
        FORGOTTEN_BRANCH("forgotten-branch", "a prepared transaction branch of the server's that the server does not know"
                + " (as PostgreSQL killed during a prepare leaves one) holds the router's claim of a user's next event",
                Floor.ALL, Kill.EVERY_INSTANCE, null);

        final String key;
        final String description;
        final Floor floor;
        final Kill kill;
        final String explainedChannel;

        Scenario(String key, String description, Floor floor, Kill kill, String explainedChannel) {
            this.key = key;
            this.description = description;
            this.floor = floor;
            this.kill = kill;
            this.explainedChannel = explainedChannel;
        }

        /** The floor, where the cluster changes it: a killed first instance's load goes to the second. */
        Floor floor(boolean cluster) {
            return this == SERVER_KILLED && cluster ? Floor.ALL_BUT_AT_FAULT : floor;
        }

        static Scenario of(String key) {
            return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no scenario " + key + "; there are "
                            + Arrays.stream(values()).map(s -> s.key).toList()));
        }
    }

    /**
     * One row of the report, with the keys. {@code deliveredDistinct} counts the accepted
     * events' notifications that reached their provider (channel by channel, at the sinks);
     * {@code deadLetteredExplained} those dead-lettered or failed on the channel the scenario's own
     * fault explains; {@code falseDeadLetters} every other dead-lettered or failed notification, and
     * {@code dlqUnexplained} the messages the scenario left in a dead-letter queue that are neither
     * poison nor on the explained channel (-1: not browsed); {@code lost} the accepted events'
     * notifications neither delivered nor dead-lettered. {@code swept} and {@code sweptEvents} are
     * what the stalled-work sweep sent again (its log lines; -1: the logs could not be read).
     */
    record Row(String scenario, long accepted, long acceptedFloor, long processed, long notificationsExpected, long deliveredDistinct,
               long deadLetteredExplained, long falseDeadLetters, long dlqUnexplained, long sentTwice, long sentTwiceBound,
               long lost, long stuck, long outOfOrder, String poisonInDlq, long preparedLeft,
               boolean faultConfirmed, String fault, boolean back, long swept, long sweptEvents, boolean sweepAllowed,
               double brokerBackS, double routedS, double recoveryS, long errors5xx, long errors500, long unanswered) {

        /** Every rule the row breaks; none when it passed. A 503 with Retry-After while the database is away is the promised answer; a 500 never is. */
        List<String> failures() {
            List<String> failures = new ArrayList<>();
            if (accepted < acceptedFloor) {
                failures.add("accepted " + accepted + " < floor " + acceptedFloor);
            }
            if (lost != 0) {
                failures.add(lost + " lost");
            }
            if (falseDeadLetters != 0) {
                failures.add(falseDeadLetters + " dead-lettered or failed with no fault to explain it");
            }
            if (dlqUnexplained != 0) {
                failures.add(dlqUnexplained < 0 ? "the dead-letter queues could not be browsed"
                        : dlqUnexplained + " unexplained messages in the dead-letter queues");
            }
            if (sentTwice > sentTwiceBound) {
                failures.add("sent twice " + sentTwice + " > bound " + sentTwiceBound);
            }
            if (stuck != 0) {
                failures.add(stuck + " stuck");
            }
            if (outOfOrder != 0) {
                failures.add(outOfOrder + " out of order");
            }
            if (preparedLeft != 0) {
                failures.add(preparedLeft + " prepared transactions left");
            }
            if (errors500 != 0) {
                failures.add(errors500 + " answered 500");
            }
            if (!poisonInDlq.isEmpty() && !poisonInDlq.split("/")[0].equals(poisonInDlq.split("/")[1])) {
                failures.add("poison in the dead-letter queues " + poisonInDlq);
            }
            if (!faultConfirmed) {
                failures.add("fault not confirmed: " + fault);
            }
            if (!back) {
                failures.add("the system did not answer again by itself within 5 min of the fault (restarted by the suite)");
            }
            if (swept < 0 || sweptEvents < 0) {
                failures.add("the stalled-work sweep's log could not be read");
            } else if (!sweepAllowed && (swept > 0 || sweptEvents > 0)) {
                failures.add("the stalled-work sweep sent " + swept + " notification(s) and " + sweptEvents
                        + " event(s) again with no process killed");
            }
            return failures;
        }

        boolean passed() {
            return failures().isEmpty();
        }
    }

    private final RunCommand system;
    private final Api api;
    private final Faults faults;
    private final double rate;
    private final Duration load;
    private final Duration quiescence;
    private final String run;
    private final boolean cluster;

    private Chaos(RunCommand system, Api api, Faults faults, double rate, Duration load, Duration quiescence, String run, boolean cluster) {
        this.cluster = cluster;
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
        // after a minute instead of five (the load is light, so nothing waits that long otherwise);
        // what it sends again is counted (its log lines, swept), and where no process was killed it must send nothing
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
            Faults faults = new Faults(system, api, run);
            Chaos chaos = new Chaos(system, api, faults, rate, Duration.ofSeconds(quick ? 15 : 60),
                    Duration.ofSeconds(quick ? 120 : 300), run, cluster);
            for (Scenario scenario : scenarios) {
                Row row = chaos.scenario(scenario);
                rows.add(row);
                say("  " + row);
                say("  " + (row.passed() ? "passed" : "FAILED: " + String.join("; ", row.failures())));
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
        say(scenario.key + ": " + scenario.description + "; " + rate + " events/s for " + load.toSeconds() + " s, from " + Instant.now());
        api.clearSinks();
        Map<String, Integer> deadLettersBefore = faults.deadLettersNotPoison();
        SweepLog sweeps = new SweepLog(system.logs());
        Load answers = new Load();
        int events = (int) Math.round(rate * load.toSeconds());
        long period = (long) (1e9 / rate);
        long start = System.nanoTime();
        int faultAt = events / 3;
        Instant faultInstant = null;
        CompletableFuture<String> fault = null;
        for (int i = 0; i < events; i++) {
            LockSupport.parkNanos(start + i * period - System.nanoTime());
            if (i == faultAt) {
                faultInstant = Instant.now();
                fault = CompletableFuture.supplyAsync(() -> {
                    try {
                        return faults.inject(scenario, prefix);
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                });
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
        Confirmation confirmation = confirm(scenario, fault, events);
        if (faultInstant != null) {
            confirmation = new Confirmation(confirmation.confirmed(), "at " + faultInstant + ", " + confirmation.note());
        }
        say("  fault " + (confirmation.confirmed() ? "confirmed: " : "NOT confirmed: ") + confirmation.note());
        boolean back = true;
        try {
            faults.awaitSystemUp();
        } catch (IllegalStateException e) {
            // counted as a failure; the system is started again so that the other scenarios can run
            back = false;
            say("  the system did not answer again by itself (" + e.getMessage() + "); stopping and starting it");
            system.stop();
            system.killLeftovers();
            system.start();
            faults.awaitSystemUp();
        }
        Quiet quiet = awaitQuiescence(prefix);
        if (quiet.prepared() > 0) {
            try (Store store = Store.connect()) {
                store.preparedTransactionDescriptions().forEach(prepared -> say("  still prepared: " + prepared));
            }
        }
        long floor = scenario.floor(cluster).of(events, faultAt, rate);
        return count(scenario, prefix, answers, faultInstant, quiet, floor, confirmation, back, sweeps, deadLettersBefore);
    }

    /** Whether the scenario's fault happened, and what showed it (or why not). */
    record Confirmation(boolean confirmed, String note) {
    }

    private Confirmation confirm(Scenario scenario, CompletableFuture<String> fault, int events) {
        if (fault == null) {
            return new Confirmation(false, "never injected");
        }
        try {
            String note = fault.join();
            return scenario == Scenario.DUPLICATES ? new Confirmation(true, faults.rawSendsConfirmed(events))
                    : new Confirmation(true, note);
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            return new Confirmation(false, cause.toString());
        }
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

    private Row count(Scenario scenario, String prefix, Load answers, Instant faultInstant, Quiet quiet, long floor,
                      Confirmation confirmation, boolean back, SweepLog sweeps, Map<String, Integer> deadLettersBefore) throws Exception {
        try (Store store = Store.connect()) {
            return count(store, scenario, prefix, answers, faultInstant, quiet, floor, confirmation, back, sweeps, deadLettersBefore);
        }
    }

    private static final Set<String> UNSENDABLE = Set.of("dead-lettered", "failed");

    private Row count(Store store, Scenario scenario, String prefix, Load answers, Instant faultInstant, Quiet quiet, long floor,
                      Confirmation confirmation, boolean back, SweepLog sweeps, Map<String, Integer> deadLettersBefore) throws Exception {
        Set<String> recorded = store.eventIds(prefix);
        // what the system took: answered 202, or recorded though its answer was lost with a killed process
        Set<String> taken = new HashSet<>(answers.accepted());
        taken.addAll(recorded);
        Map<String, Store.NotificationState> notifications = store.notifications(prefix);
        Map<String, List<Instant>> receipts = api.allReceipts();
        Map<String, String> byEventAndChannel = new HashMap<>();
        long twice = 0;
        List<String> resent = new ArrayList<>();
        long falseDeadLetters = 0;
        List<String> unsendable = new ArrayList<>();
        for (Map.Entry<String, Store.NotificationState> notification : notifications.entrySet()) {
            Store.NotificationState state = notification.getValue();
            byEventAndChannel.put(state.eventId() + " " + state.channel(), notification.getKey());
            List<Instant> received = receipts.getOrDefault(notification.getKey(), List.of());
            twice += Math.max(0, received.size() - 1);
            if (received.size() > 1) {
                resent.add(state.channel() + " " + notification.getKey() + " of " + state.eventId() + " received at " + received);
            }
            if (UNSENDABLE.contains(state.status()) && !state.channel().equals(scenario.explainedChannel)) {
                falseDeadLetters++;
                unsendable.add(state.channel() + " of " + state.eventId() + " " + state.status() + ": " + state.lastError());
            }
        }
        resent.stream().limit(3).forEach(description -> say("  sent twice: " + description));
        unsendable.stream().limit(3).forEach(description -> say("  dead-lettered or failed with no fault to explain it: " + description));
        long delivered = 0;
        long explained = 0;
        long lost = 0;
        List<String> missing = new ArrayList<>();
        for (String eventId : taken) {
            for (String channel : api.channels()) {
                String id = byEventAndChannel.get(eventId + " " + channel);
                Store.NotificationState state = id == null ? null : notifications.get(id);
                if (id != null && receipts.containsKey(id)) {
                    delivered++;
                } else if (state != null && UNSENDABLE.contains(state.status())) {
                    if (channel.equals(scenario.explainedChannel)) {
                        explained++;
                    }
                } else {
                    lost++;
                    missing.add(channel + " of " + eventId + (state == null ? ": no notification" : ": " + state.status()
                            + " in the database, not at the sink"));
                }
            }
        }
        missing.stream().limit(3).forEach(description -> say("  lost: " + description));
        long processed = store.processedEvents(prefix);
        long expected = taken.size() * (long) api.notificationsPerEvent();
        long stuck = Math.max(0, quiet.eventsUnprocessed()) + Math.max(0, quiet.notificationsPending());
        List<String> overtaking = outOfOrder(notifications, receipts, answers);
        overtaking.stream().limit(3).forEach(description -> say("  out of order: " + description));
        double recovery = faultInstant == null ? 0 : recoverySeconds(faultInstant, notifications, receipts);
        double routed = faultInstant == null ? 0 : routedSeconds(faultInstant, notifications);
        double brokerBack = faultInstant == null ? -1 : faults.brokerBackSeconds(faultInstant);
        long dlqUnexplained = dlqUnexplained(scenario, deadLettersBefore, faults.deadLettersNotPoison());
        long[] swept = sweeps.sentAgain();
        return new Row(scenario.key, answers.accepted().size(), floor, processed, expected, delivered, explained, falseDeadLetters,
                dlqUnexplained, twice, scenario.kill.callsInFlight(system.instances(), cluster), lost, stuck,
                overtaking.size(), faults.poisonFound(scenario), store.preparedTransactions(),
                confirmation.confirmed(), confirmation.note(), back, swept[0], swept[1], scenario.kill != Kill.NONE,
                round(brokerBack), round(routed), round(recovery), answers.errors5xx(), answers.errors500(), answers.unanswered());
    }

    /**
     * The messages that are not poison the scenario added to the dead-letter queues, but for the
     * explained channel's queue; -1 when a queue could not be browsed.
     */
    static long dlqUnexplained(Scenario scenario, Map<String, Integer> before, Map<String, Integer> after) {
        if (before.isEmpty() || after.isEmpty()) {
            return -1;
        }
        long added = 0;
        for (Map.Entry<String, Integer> queue : after.entrySet()) {
            if (!queue.getKey().equals("notification." + scenario.explainedChannel)) {
                added += Math.max(0, queue.getValue() - before.getOrDefault(queue.getKey(), 0));
            }
        }
        if (added > 0) {
            say("  dead-letter queues (not poison) before " + before + ", after " + after);
        }
        return added;
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
