package dev.notify.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmark (bench/run.sh): starts the run command's system on the chosen server with the bare
 * XA bean beside the application, and measures in one run
 * <ol>
 * <li>cold: the first events after the start, delivered per second;</li>
 * <li>the ceiling: the bare bean's two-phase commits per second;</li>
 * <li>the pipeline, closed loop: single POSTs from 8 clients, accepted, routed and delivered per
 * second, and the transactions per second that took, against the ceiling;</li>
 * <li>latency, open loop at a fixed offered rate (half the closed loop's delivered rate unless
 * given), each request timed from when it was due, so that a stall shows rather than delays the
 * requests behind it; end to end up to the sink's receipt of the event's last notification;</li>
 * <li>a spike of batches as fast as they are accepted, and the time until all of it is delivered;</li>
 * </ol>
 * Delivered means at the sinks, in every phase: a notification the sink of its provider received,
 * never a status in the database.
 * <ol start="6">
 * <li>the memory of the server and the broker at the end, and the run command's time to ready.</li>
 * </ol>
 * Writes bench/target/report.json, report.md and report.png. Arguments: --server S, --cluster (the
 * run command's cluster: two application instances, the single POSTs spread over both, their CPU
 * and memory added up; the brokers an HA pair), --quick, --warm-up EVENTS (before the closed loop;
 * 300, 100 quick), --rate EVENTS_PER_SECOND, --profile (a
 * flight recording of the first server during the closed loop, bench/target/closed-loop.jfr),
 * --keep-running.
 */
public final class Benchmark {

    private static final int CLIENTS = 8;
    private static final int SPIKE_CLIENTS = 4;
    private static final int BATCH = 500;

    /** Sizes of the phases, full and quick. */
    private record Sizes(int coldEvents, int bareBeanMessages, int warmUpEvents, int closedLoopEvents, int openLoopSeconds, int spikeEvents) {
        static final Sizes FULL = new Sizes(1500, 5000, 300, 2000, 60, 20_000);
        static final Sizes QUICK = new Sizes(300, 2000, 100, 500, 15, 2000);
    }

    private final Sizes sizes;
    private final RunCommand system;
    /** Where the closed loop's flight recording goes (--profile), or null. */
    private final Path profile;
    private final Api api;
    private final Store store;
    private final Timeline timeline;
    private final String run;
    private final Map<String, Object> report = new LinkedHashMap<>();

    private Benchmark(Sizes sizes, RunCommand system, Path profile, Api api, Store store, Timeline timeline, String run) {
        this.sizes = sizes;
        this.system = system;
        this.profile = profile;
        this.api = api;
        this.store = store;
        this.timeline = timeline;
        this.run = run;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String server = options.getOrDefault("--server", "payara-micro");
        Sizes sizes = options.containsKey("--quick") ? Sizes.QUICK : Sizes.FULL;
        if (options.containsKey("--warm-up")) {
            // a longer warm-up lets the JIT settle before the closed loop is measured
            sizes = new Sizes(sizes.coldEvents(), sizes.bareBeanMessages(), Integer.parseInt(options.get("--warm-up")), sizes.closedLoopEvents(),
                    sizes.openLoopSeconds(), sizes.spikeEvents());
        }
        Path repository = Path.of("").toAbsolutePath();
        Path target = repository.resolve("bench/target");
        Path bareBean = repository.resolve("bench/bare-bean/target/notify-bench-bare-bean.war");
        boolean cluster = options.containsKey("--cluster");
        RunCommand system = new RunCommand(repository, target.resolve("system"), server, cluster, Map.of());
        BareBeanCeiling ceiling = new BareBeanCeiling("tcp://127.0.0.1:" + env("NOTIFY_BROKER_PORT", "61616"),
                env("NOTIFY_BROKER_USER", "notify"), env("NOTIFY_BROKER_PASSWORD", "notify"));

        if (!system.prepared()) {
            say("First run: preparing the benchmark's data folder (" + target.resolve("system") + "), so that the measured start is a usual one");
            system.start();
            try {
                ceiling.createQueue();
            try (Store store = Store.connect()) {
                store.prepareBareBeanTable(); // before the timeline, which counts its rows from the start
            }
            } finally {
                system.stop();
            }
        }
        say("Starting the system on " + server + " with the bare bean beside the application");
        double readySeconds = system.start(bareBean);
        try {
            ceiling.createQueue();
            String run = "b" + Long.toString(System.currentTimeMillis() / 1000, 36);
            String sinks = "http://127.0.0.1:" + env("NOTIFY_SINK_PORT", "8025");
            Api api = new Api(system.apiUrls(), sinks,
                    env("NOTIFY_PUBLISHER_API_KEY", "local-publisher-key"), Api.EventKind.ORDER_PLACED);
            try (Store store = Store.connect();
                 Timeline timeline = new Timeline(store, run + "-")) {
                Benchmark benchmark = new Benchmark(sizes, system,
                        options.containsKey("--profile") ? target.resolve("closed-loop.jfr") : null, api, store, timeline, run);
                benchmark.report.put("server", cluster ? server + " x2 (cluster)" : server);
                benchmark.report.put("commit", Report.commit(repository));
                benchmark.report.put("mode", sizes == Sizes.QUICK ? "quick" : "full");
                benchmark.measure(ceiling, options.containsKey("--rate") ? Double.parseDouble(options.get("--rate")) : 0);
                String consumers = api.consumersPerQueue(env("NOTIFY_OPERATOR_USER", "operator"), env("NOTIFY_OPERATOR_PASSWORD", "operator"));
                say("Consumers per queue: " + consumers);
                benchmark.report.put("consumers", consumers);
                RunCommand.Memory memory = system.memory();
                benchmark.report.put("server_rss_mb", round(memory.serverMb()));
                benchmark.report.put("broker_rss_mb", round(memory.brokerMb()));
                benchmark.report.put("runner_rss_mb", round(memory.runnerMb()));
                benchmark.report.put("ready_s", round(readySeconds));
                new Report(benchmark.report, timeline).write(target);
            }
        } finally {
            if (options.containsKey("--keep-running")) {
                say("Left running (--keep-running): stop it with NOTIFY_DATA_DIR=" + target.resolve("system") + " server-config/run.sh stop");
            } else {
                system.stop();
            }
        }
    }

    private void measure(BareBeanCeiling ceiling, double offeredRate) throws Exception {
        api.createRecipients(run);
        // what a burst meets after a deploy or a restart: nothing compiled, the pools and caches empty
        timeline.mark("cold");
        say("Cold: the first " + sizes.coldEvents() + " events after the start");
        Stages cold = closedLoop(run + "-cold-", sizes.coldEvents());
        report.put("cold_events", sizes.coldEvents());
        report.put("cold_delivered_events_per_s", round(sizes.coldEvents() / cold.seconds(cold.delivered())));
        say("  delivered " + report.get("cold_delivered_events_per_s") + " events/s");

        timeline.mark("warm-up");
        say("Warm-up: " + sizes.warmUpEvents() + " events");
        closedLoop(run + "-warm-", sizes.warmUpEvents());

        // after the warm-up, so that the paths it shares with the pipeline (adapter, transactions, pools) are compiled
        timeline.mark("bare bean");
        say("Bare XA bean: " + sizes.bareBeanMessages() + " messages");
        double bareBean = ceiling.measure(store, sizes.bareBeanMessages());
        say(String.format("  %.0f transactions/s", bareBean));
        report.put("bare_bean_tx_per_s", round(bareBean));

        timeline.mark("closed loop");
        say("Closed loop: " + sizes.closedLoopEvents() + " single POSTs from " + CLIENTS + " clients");
        closedLoopMeasured(bareBean);

        double rate = offeredRate > 0 ? offeredRate : Math.max(1, Math.floor((double) report.get("delivered_events_per_s") / 2));
        timeline.mark("open loop");
        say(String.format("Open loop: %.0f events/s for %d s", rate, sizes.openLoopSeconds()));
        openLoop(rate);

        timeline.mark("spike");
        say("Spike: " + sizes.spikeEvents() + " events in batches of " + BATCH + " from " + SPIKE_CLIENTS + " clients");
        spike();
    }

    /** What a closed loop measured: when each stage had all of its events, in nanoseconds. */
    private record Stages(long start, long accepted, long routed, long delivered, long activity, List<Long> restNanos) {
        double seconds(long end) {
            return (end - start) / 1e9;
        }
    }

    private void closedLoopMeasured(double bareBean) throws Exception {
        String prefix = run + "-loop-";
        int events = sizes.closedLoopEvents();
        if (profile != null) {
            system.startProfiling(profile);
        }
        Map<String, Double> cpuBefore = system.cpuSeconds();
        Stages stages = closedLoop(prefix, events);
        Map<String, Double> cpuAfter = system.cpuSeconds();
        if (profile != null) {
            system.stopProfiling();
            say("  the server's flight recording: " + profile);
        }
        long transactions = events // the publishing request: the event's row and its message
                + store.claims("router", prefix) + store.claims("activity", prefix) // each subscriber's transaction
                + store.sentNotifications(prefix); // each worker's transaction
        double window = stages.seconds(Math.max(stages.delivered(), stages.activity()));
        double pipeline = transactions / window;
        Percentiles rest = new Percentiles(stages.restNanos());
        report.put("accepted_events_per_s", round(events / stages.seconds(stages.accepted())));
        report.put("routed_events_per_s", round(events / stages.seconds(stages.routed())));
        report.put("delivered_events_per_s", round(events / stages.seconds(stages.delivered())));
        report.put("delivered_notifications_per_s", round(events * api.notificationsPerEvent() / stages.seconds(stages.delivered())));
        report.put("transactions_per_event", round((double) transactions / events));
        report.put("pipeline_tx_per_s", round(pipeline));
        report.put("ratio_to_bare_bean", Math.round(pipeline / bareBean * 1000) / 1000.0);
        // the headline: how many of the bare bean's transactions an event costs, however many the pipeline takes
        report.put("events_per_bare_bean_tx", Math.round(events / stages.seconds(stages.delivered()) / bareBean * 1000) / 1000.0);
        report.put("closed_loop_rest_p50_ms", round(rest.millis(50)));
        report.put("closed_loop_rest_p99_ms", round(rest.millis(99)));
        say(String.format("  accepted %s, routed %s, delivered %s events/s (%s per bare-bean transaction); %s notifications/s;"
                        + " %s transactions/s (%s per event), %s of the bare bean",
                report.get("accepted_events_per_s"), report.get("routed_events_per_s"), report.get("delivered_events_per_s"),
                report.get("events_per_bare_bean_tx"), report.get("delivered_notifications_per_s"), report.get("pipeline_tx_per_s"),
                report.get("transactions_per_event"), report.get("ratio_to_bare_bean")));
        say("  REST " + rest);
        StringBuilder cpu = new StringBuilder("  CPU per event:");
        double total = 0;
        for (String part : cpuBefore.keySet()) {
            double millis = (cpuAfter.get(part) - cpuBefore.get(part)) * 1000 / events;
            total += millis;
            report.put("cpu_ms_per_event_" + part, round(millis));
            cpu.append(String.format(" %s %.1f ms,", part, millis));
        }
        report.put("cpu_ms_per_event", round(total));
        say(cpu + String.format(" in all %.1f ms", total));
    }

    /** Publishes the events from the clients as fast as they are answered, then waits for every stage. */
    private Stages closedLoop(String prefix, int events) throws Exception {
        api.clearSinks(); // what the sinks hold is then this loop's, and counting it stays cheap
        AtomicInteger next = new AtomicInteger();
        List<Long> restNanos = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        onClients(CLIENTS, () -> {
            for (int i = next.getAndIncrement(); i < events; i = next.getAndIncrement()) {
                long sent = System.nanoTime();
                api.publish(prefix + i, run);
                restNanos.add(System.nanoTime() - sent);
                timeline.accepted(1);
            }
            return null;
        });
        long accepted = System.nanoTime();
        long[] reached = awaitStages(prefix, events, Duration.ofMinutes(20));
        return new Stages(start, accepted, reached[0], reached[1], reached[2], restNanos);
    }

    /**
     * When the router had processed all events, all notifications had reached their providers (at
     * the sinks: a row marked sent is not a delivery), and the activity subscriber had all.
     */
    private long[] awaitStages(String prefix, int events, Duration timeout) throws Exception {
        long[] reached = new long[3];
        long deadline = System.nanoTime() + timeout.toNanos();
        while (reached[0] == 0 || reached[1] == 0 || reached[2] == 0) {
            long now = System.nanoTime();
            if (reached[0] == 0 && store.claims("router", prefix) >= events) {
                reached[0] = now;
            }
            if (reached[1] == 0 && deliveredAtSinks(prefix) >= (long) events * api.notificationsPerEvent()) {
                reached[1] = now;
            }
            if (reached[2] == 0 && store.claims("activity", prefix) >= events) {
                reached[2] = now;
            }
            if (now > deadline) {
                throw new IllegalStateException(String.format("after %d s, of %d events %d were routed, %d notifications delivered at the sinks"
                                + " (%d marked sent, %d failed or dead-lettered), %d in the timeline",
                        timeout.toSeconds(), events, store.claims("router", prefix), deliveredAtSinks(prefix), store.sentNotifications(prefix),
                        store.unsendableNotifications(prefix), store.claims("activity", prefix)));
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return reached;
    }

    /**
     * Sends at the offered rate whatever is outstanding; each request's latency counts from when it
     * was due (coordinated omission would otherwise hide a stall), end to end up to the sink's receipt.
     */
    private void openLoop(double rate) throws Exception {
        String prefix = run + "-open-";
        int events = (int) Math.round(rate * sizes.openLoopSeconds());
        long period = (long) (1e9 / rate);
        api.clearSinks();
        Instant startInstant = Instant.now();
        long start = System.nanoTime();
        long[] restNanos = new long[events];
        List<CompletableFuture<Void>> requests = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < events; i++) {
            long due = start + i * period;
            LockSupport.parkNanos(due - System.nanoTime());
            int index = i;
            requests.add(api.publishAsync(prefix + i, run).whenComplete((ok, failure) -> {
                restNanos[index] = System.nanoTime() - due;
                if (failure != null) {
                    failures.add(failure);
                } else {
                    timeline.accepted(1);
                }
            }));
        }
        CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " of " + events + " events failed", failures.peek());
        }
        awaitStages(prefix, events, Duration.ofMinutes(10));

        Map<String, Instant> receipts = api.receipts();
        Map<Integer, Long> lastReceiptNanos = new HashMap<>();
        store.eventsOfNotifications(prefix).forEach((notification, eventId) -> {
            Instant receipt = receipts.get(notification);
            if (receipt == null) {
                throw new IllegalStateException("the sinks have no receipt of notification " + notification + " of " + eventId);
            }
            long sinceStart = Duration.between(startInstant, receipt).toNanos();
            lastReceiptNanos.merge(Integer.parseInt(eventId.substring(prefix.length())), sinceStart, Math::max);
        });
        List<Long> rest = new ArrayList<>();
        List<Long> endToEnd = new ArrayList<>();
        Map<Integer, List<Long>> restBySecond = new HashMap<>();
        Map<Integer, List<Long>> endToEndBySecond = new HashMap<>();
        for (int i = 0; i < events; i++) {
            long e2e = lastReceiptNanos.get(i) - i * period;
            rest.add(restNanos[i]);
            endToEnd.add(e2e);
            int second = (int) (i * period / 1_000_000_000L);
            restBySecond.computeIfAbsent(second, s -> new ArrayList<>()).add(restNanos[i]);
            endToEndBySecond.computeIfAbsent(second, s -> new ArrayList<>()).add(e2e);
        }
        restBySecond.forEach((second, latencies) -> timeline.latency(start + second * 1_000_000_000L,
                new Percentiles(latencies).millis(99), new Percentiles(endToEndBySecond.get(second)).millis(99)));
        api.clearSinks();
        Percentiles restPercentiles = new Percentiles(rest);
        Percentiles endToEndPercentiles = new Percentiles(endToEnd);
        report.put("open_loop_events_per_s", round(rate));
        report.put("rest_p50_ms", round(restPercentiles.millis(50)));
        report.put("rest_p95_ms", round(restPercentiles.millis(95)));
        report.put("rest_p99_ms", round(restPercentiles.millis(99)));
        report.put("e2e_p50_ms", round(endToEndPercentiles.millis(50)));
        report.put("e2e_p95_ms", round(endToEndPercentiles.millis(95)));
        report.put("e2e_p99_ms", round(endToEndPercentiles.millis(99)));
        say("  REST " + restPercentiles);
        say("  publish to delivered " + endToEndPercentiles);
    }

    /** The phase's notifications (by the database's ids) that reached their provider: the sinks have them. */
    private long deliveredAtSinks(String prefix) throws Exception {
        Set<String> delivered = api.deliveredNotifications();
        return store.eventsOfNotifications(prefix).keySet().stream().filter(delivered::contains).count();
    }

    /**
     * Batches as fast as the API takes them; then the time until the sinks have every notification
     * (a failed one is not done: the drain is then not over, and counts as undelivered once nothing
     * has reached the sinks for a minute with every notification settled in the database).
     */
    private void spike() throws Exception {
        String prefix = run + "-spike-";
        int events = sizes.spikeEvents();
        AtomicInteger nextBatch = new AtomicInteger();
        long start = System.nanoTime();
        onClients(SPIKE_CLIENTS, () -> {
            for (int first = nextBatch.getAndIncrement() * BATCH; first < events; first = nextBatch.getAndIncrement() * BATCH) {
                List<String> ids = new ArrayList<>();
                for (int i = first; i < Math.min(events, first + BATCH); i++) {
                    ids.add(prefix + i);
                }
                api.publishBatch(ids, run);
                timeline.accepted(ids.size());
            }
            return null;
        });
        double accepting = (System.nanoTime() - start) / 1e9;
        long notifications = (long) events * api.notificationsPerEvent();
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        long delivered = -1;
        long lastGain = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            long count = deliveredAtSinks(prefix);
            if (count != delivered) {
                delivered = count;
                lastGain = now;
            }
            boolean settled = store.sentNotifications(prefix) + store.unsendableNotifications(prefix) >= notifications;
            if (delivered >= notifications || now > deadline || settled && now - lastGain > Duration.ofMinutes(1).toNanos()) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        boolean drained = delivered >= notifications;
        double drain = (System.nanoTime() - start) / 1e9;
        api.clearSinks();
        long undelivered = notifications - delivered;
        report.put("spike_events", events);
        report.put("spike_accept_events_per_s", round(events / accepting));
        report.put("spike_drain_s", drained ? round(drain) : -1);
        report.put("spike_undelivered_notifications", undelivered);
        say(drained ? String.format("  accepted at %.0f events/s; all %d notifications at the sinks after %.1f s", events / accepting,
                notifications, drain)
                : String.format("  accepted at %.0f events/s; after %.1f s %d of %d notifications NOT at the sinks (%d failed or dead-lettered)",
                events / accepting, drain, undelivered, notifications, store.unsendableNotifications(prefix)));
    }

    /** Runs the same loop on each client's thread and waits for all; a failure ends the run, and every client with it. */
    private static void onClients(int clients, Callable<Void> loop) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int client = 0; client < clients; client++) {
                done.add(threads.submit(loop));
            }
            for (Future<Void> client : done) {
                client.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick", "--cluster", "--keep-running", "--profile" -> options.put(args[i], "");
                case "--server", "--rate", "--warm-up" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException(args[i] + " needs a value");
                    }
                    options.put(args[i], args[++i]);
                }
                default -> throw new IllegalArgumentException("usage: [--server payara-micro|payara|wildfly] [--cluster] [--quick] [--warm-up EVENTS] "
                        + "[--rate EVENTS_PER_SECOND] [--profile] [--keep-running] (given: " + String.join(" ", args) + ")");
            }
        }
        return options;
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static void say(String message) {
        System.out.println("[bench] " + message);
    }
}
