package dev.notify.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A part of the system the runner keeps running: when it dies (a crash, kill -9, the kernel's
 * out-of-memory killer), it is started again with its data, until the runner stops. A start that
 * fails is tried again later, waiting twice as long each time, up to a minute.
 */
final class Supervised implements AutoCloseable {

    /** Starts the part and returns once it is ready. */
    interface Start {
        Running start() throws Exception;
    }

    /** A started part: how to stop it, its process id, and whether it still runs. */
    record Running(AutoCloseable handle, LongSupplier pid, BooleanSupplier alive) {
    }

    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofMinutes(1);

    private final String name;
    /** Where it serves (a URL, or host and port), for the status. */
    private final String address;
    /** While this file exists, the part stays down once it has died (the fault-injection suite keeps one away so). */
    private final Path hold;
    private final Start start;
    private volatile Running running;
    private volatile String state = "running";
    private volatile int restarts;
    /** Set by close(): a start that ends after it is stopped at once, instead of outliving the run command. */
    private volatile boolean closed;
    private Duration retry = FIRST_RETRY;
    private Instant nextAttempt = Instant.MIN;

    private Supervised(String name, String address, Path hold, Start start, Running running) {
        this.name = name;
        this.address = address;
        this.hold = hold;
        this.start = start;
        this.running = running;
    }

    static Supervised start(String name, String address, Path hold, Start start) throws Exception {
        return new Supervised(name, address, hold, start, start.start());
    }

    /**
     * Starts the part again if it has died; called by the runner's watch, one part at a time.
     * {@code changed} is told when the state changes before the (long) start ends.
     */
    void keepRunning(Consumer<String> say, Runnable changed) {
        if (closed || running != null && running.alive().getAsBoolean() || Instant.now().isBefore(nextAttempt)) {
            return;
        }
        if (running != null) {
            say.accept(name + " has stopped (pid " + running.pid().getAsLong() + ")"
                    + (Files.exists(hold) ? "; held down while " + hold + " exists" : "; starting it again"));
            closeQuietly(running.handle()); // releases what it held: ports, the database's lock file
            running = null;
        }
        if (Files.exists(hold)) {
            state = "held";
            changed.run();
            return;
        }
        state = "restarting";
        changed.run();
        long begin = System.nanoTime();
        try {
            Running started = start.start();
            if (!adopt(started)) {
                closeQuietly(started.handle());
                return;
            }
            restarts++;
            state = "running";
            retry = FIRST_RETRY;
            say.accept(String.format("%s is back (restart %d) after %.1f s, pid %d", name, restarts,
                    (System.nanoTime() - begin) / 1e9, running.pid().getAsLong()));
        } catch (Exception e) {
            state = "down";
            nextAttempt = Instant.now().plus(retry);
            say.accept(name + " could not be started (" + e.getMessage() + "); trying again in " + retry.toSeconds() + " s");
            retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
        }
    }

    /** A line of the status file: name, state, pid (0 while down), restarts, address. */
    String status() {
        Running current = running;
        return String.join("\t", name, state, Long.toString(current == null ? 0 : current.pid().getAsLong()),
                Integer.toString(restarts), address);
    }

    /** Keeps what a restart started, unless the run command is stopping meanwhile. */
    private synchronized boolean adopt(Running started) {
        if (closed) {
            return false;
        }
        running = started;
        return true;
    }

    @Override
    public void close() throws Exception {
        Running current;
        synchronized (this) {
            closed = true;
            current = running;
        }
        if (current != null) {
            current.handle().close();
        }
    }

    private static void closeQuietly(AutoCloseable handle) {
        try {
            handle.close();
        } catch (Exception | Error ignored) {
            // it is dead already; only what it left behind is cleaned up
        }
    }
}
