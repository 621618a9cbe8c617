package dev.notify.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Polls what the system recorded until it holds, within a deadline. */
final class Waiting {

    private static final long POLL_MILLIS = 100;

    /** A query that may fail. */
    interface Query<T> {
        T get() throws Exception;
    }

    private Waiting() {
    }

    /** The first value that satisfies the condition; fails with the last one seen at the deadline. */
    static <T> T until(Duration timeout, String what, Query<T> query, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T value;
        try {
            while (!done.test(value = query.get())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("waited " + timeout.toSeconds() + " s for " + what + "; last seen: " + value);
                }
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("while waiting for " + what, e);
        }
        return value;
    }
}
