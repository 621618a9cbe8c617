package dev.notify.infrastructure.transactions;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.notify.infrastructure.monitoring.Metrics;

/**
 * Runs the rounds of the periodic tasks (the EJB timers' work) so that a task survives its own
 * failures: a round that fails (the database or the broker away) is logged and counted, never
 * thrown to the timer. A timeout that throws, or whose container transaction fails, counts as a
 * failed delivery, and Payara cancels an interval timer after two of them (EJB5119, "Expunging
 * timer"): a ten-second database restart stopped the stalled-work sweep, the job leases and the
 * pruning until the server restarted. So each timeout method runs with no transaction of its own
 * ({@code NOT_SUPPORTED}) and hands its round to {@link #run} or {@link #runInTransaction}.
 */
@ApplicationScoped
public class PeriodicTasks {

    private static final Logger LOG = Logger.getLogger(PeriodicTasks.class.getName());

    @Inject
    SeparateTransaction separately;

    @Inject
    Metrics metrics;

    /** The tasks whose last round failed: their next failure is not logged again, their recovery is. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    /** One round of the task, in a transaction of its own that commits or rolls back before this returns. */
    public void runInTransaction(String task, Runnable round) {
        run(task, () -> separately.run(round));
    }

    /** One round of the task, in the caller's transactional context (none, in a timeout method). */
    public void run(String task, Runnable round) {
        try {
            round.run();
        } catch (RuntimeException e) {
            metrics.periodicRound(task, "failed");
            if (failing.add(task)) {
                LOG.log(Level.WARNING, "The periodic task '" + task + "' failed; it runs again at its next interval", e);
            }
            return;
        }
        metrics.periodicRound(task, "done");
        if (failing.remove(task)) {
            LOG.info(() -> "The periodic task '" + task + "' runs again");
        }
    }
}
