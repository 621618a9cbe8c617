package dev.notify.bench;

import java.util.Collection;

/** Exact percentiles of a few thousand latencies, in milliseconds. */
final class Percentiles {

    private final long[] sortedNanos;

    Percentiles(Collection<Long> nanos) {
        sortedNanos = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** The nearest-rank percentile: the smallest value that p of all are at or below. */
    double millis(double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * sortedNanos.length);
        return sortedNanos[Math.max(0, rank - 1)] / 1e6;
    }

    int count() {
        return sortedNanos.length;
    }

    @Override
    public String toString() {
        return String.format("p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (%d)",
                millis(50), millis(95), millis(99), millis(100), count());
    }
}
