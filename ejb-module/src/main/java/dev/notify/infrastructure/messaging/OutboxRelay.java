package dev.notify.infrastructure.messaging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends the outbox to the broker: as soon as a transaction that wrote to it commits, and at every
 * sweep (OutboxSweep) for what is left (the broker was away, a batch failed). One drain at a time,
 * on a managed thread, so that batches go out in order. A failed batch waits for the next sweep
 * instead of retrying at once. A plain CDI bean, not an EJB: its observer runs after the transaction has completed,
 * where an EJB's transaction handling fails on Payara (it cannot resume a completed transaction).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class.getName());

    /** Fired in a transaction that wrote to the outbox. */
    public record Written() {
    }

    static final Written WRITTEN = new Written();

    @Inject
    @ConfigProperty(name = "notify.outbox.sweep-interval", defaultValue = "PT1S")
    Duration sweepInterval;

    @Inject
    @ConfigProperty(name = "notify.outbox.batch-size", defaultValue = "100")
    int batchSize;

    @Inject
    OutboxBatchPublisher batches;

    @Resource
    ManagedExecutorService executor;

    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean failing = new AtomicBoolean();

    /** After a transaction that wrote to the outbox has committed: what it wrote is visible now. */
    public void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) Written written) {
        drainSoon(false);
    }

    /** How often OutboxSweep sweeps. */
    public Duration sweepInterval() {
        return sweepInterval;
    }

    /** What is left: the broker was away, or a drain failed. */
    public void sweep() {
        drainSoon(true);
    }

    /** Starts a drain unless one runs, which then goes on with what was asked meanwhile. */
    private void drainSoon(boolean afterFailure) {
        if (failing.get() && !afterFailure) {
            return; // the sweep retries; every accepted event would otherwise try a broker that is away
        }
        requested.set(true);
        if (draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (requested.getAndSet(false)) {
                while (batches.publishNext(batchSize)) {
                    // a full page: more may be waiting
                }
            }
            if (failing.compareAndSet(true, false)) {
                LOG.info("The outbox is sent again: the broker is back");
            }
        } catch (RuntimeException e) {
            if (failing.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "The outbox cannot be sent; accepted events wait in it and are retried every "
                        + sweepInterval.toMillis() + " ms", e);
            }
        } finally {
            draining.set(false);
        }
        if (requested.get() && !failing.get() && draining.compareAndSet(false, true)) {
            executor.execute(this::drain); // asked for after the loop had looked
        }
    }
}
