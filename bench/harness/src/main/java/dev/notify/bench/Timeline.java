package dev.notify.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput over time, for the report's chart: every second, the events the API has accepted, the
 * notifications the system has sent and the bare bean's transactions, as rates; and where each
 * phase began.
 */
final class Timeline implements AutoCloseable {

    /** One second of the run. */
    record Sample(double second, double acceptedPerSecond, double deliveredPerSecond, double bareBeanPerSecond) {
    }

    /** A phase's start, seconds into the run. */
    record Mark(double second, String phase) {
    }

    /** One second of the open loop: the latencies of the events it was scheduled to send. */
    record LatencySample(double second, double restP99Millis, double endToEndP99Millis) {
    }

    private final long start = System.nanoTime();
    private final AtomicLong accepted = new AtomicLong();
    private final List<Sample> samples = new ArrayList<>();
    private final List<Mark> marks = new ArrayList<>();
    private final List<LatencySample> latencies = new ArrayList<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    private long lastAccepted;
    private long lastDelivered;
    private long lastBareBean;

    /** Samples the notifications of the run's events (ids starting with the prefix) that were sent, and the bare bean's rows. */
    Timeline(Store store, String runPrefix) {
        sampler.scheduleAtFixedRate(() -> {
            try {
                long delivered = store.sentNotifications(runPrefix);
                long bareBean = store.bareBeanRowCount();
                long acceptedNow = accepted.get();
                synchronized (samples) {
                    samples.add(new Sample(seconds(System.nanoTime()), acceptedNow - lastAccepted, delivered - lastDelivered,
                            Math.max(0, bareBean - lastBareBean)));
                }
                lastAccepted = acceptedNow;
                lastDelivered = delivered;
                lastBareBean = bareBean;
            } catch (Exception e) {
                System.err.println("[bench] the timeline missed a sample: " + e);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    void accepted(int events) {
        accepted.addAndGet(events);
    }

    void mark(String phase) {
        marks.add(new Mark(seconds(System.nanoTime()), phase));
    }

    void latency(long atNanos, double restP99Millis, double endToEndP99Millis) {
        latencies.add(new LatencySample(seconds(atNanos), restP99Millis, endToEndP99Millis));
    }

    double seconds(long nanos) {
        return (nanos - start) / 1e9;
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    List<Mark> marks() {
        return List.copyOf(marks);
    }

    List<LatencySample> latencies() {
        return List.copyOf(latencies);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
