package dev.notify.infrastructure.transactions;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * Work in a transaction of its own, committed or rolled back alone. A consumer's last attempt runs
 * its work so: when the work fails, its writes roll back while the consuming transaction still
 * commits the move of the message to its dead-letter queue, with the reason. So do the periodic
 * tasks' rounds (PeriodicTasks), the steps of a start-up that must commit one by one, and the
 * consumers whose message is acknowledged after their own transaction commits (ChannelWorker,
 * ActivityBean).
 */
@ApplicationScoped
public class SeparateTransaction {

    @Transactional(TxType.REQUIRES_NEW)
    public void run(Runnable work) {
        work.run();
    }

    /** The same, for work with a result. */
    @Transactional(TxType.REQUIRES_NEW)
    public <T> T call(Supplier<T> work) {
        return work.get();
    }
}
