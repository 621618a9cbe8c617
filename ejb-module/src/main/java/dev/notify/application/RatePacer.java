package dev.notify.application;

import java.util.function.LongSupplier;

/**
 * Spaces out the steps of a job: each starts at least 1 / rate seconds after the one before. A
 * step that runs late is not caught up on with a burst, so the job never goes faster than its rate
 * and a slow consumer is not flooded after a stall.
 */
public final class RatePacer {

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long previousStart;
    private boolean started;

    public RatePacer(double ratePerSecond, LongSupplier nanoClock) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("the rate must be positive, not " + ratePerSecond);
        }
        this.intervalNanos = (long) (1_000_000_000L / ratePerSecond);
        this.nanoClock = nanoClock;
    }

    /** How long to wait before the next step may start, in nanoseconds; counts that step as taken. */
    public long delayBeforeNextStep() {
        long now = nanoClock.getAsLong();
        long start = started ? Math.max(now, previousStart + intervalNanos) : now;
        started = true;
        previousStart = start;
        return start - now;
    }
}
