package dev.notify.payara;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finishes the transactions whose commit failed on one resource (the broker or PostgreSQL died
 * between prepare and commit) once that resource is back, while the server runs. The post-boot
 * commands leave such a commit to recovery instead of retrying it in the committing thread
 * ({@code retry-timeout-in-seconds=0}). Payara's own thread for this
 * ({@code pending-txn-cleanup-interval}) makes a pass only when a commit has failed since its
 * previous pass ({@code TransactionServiceProperties.RecoveryHelperThread}): a pass made while the
 * resource is still down (PostgreSQL restarting) resolves nothing, and no other follows, so the
 * database branch stayed prepared, holding its row locks, until another commit failed or the server
 * restarted. This makes the same pass (Payara's {@code ResourceRecoveryManager}, as
 * {@code asadmin recover-transactions} does) every 30 s once a commit has failed: Payara keeps
 * every such transaction in its list for good, so the list alone cannot tell what is left, and a
 * pass that finds nothing in doubt in the resources does nothing (a query of PostgreSQL's prepared
 * transactions and one call to the broker). Each round then rolls back the branches that Payara
 * forgot ({@link OrphanBranchRollback}).
 */
final class IncompleteTransactionRecovery {
    private static final long INTERVAL_SECONDS = 30;

    private IncompleteTransactionRecovery() {
    }

    static void start(PayaraClasses payara) {
        OrphanBranchRollback orphans = new OrphanBranchRollback(payara);
        Thread thread = new Thread(() -> {
            while (true) {
                try {
                    TimeUnit.SECONDS.sleep(INTERVAL_SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                recoverIfNeeded(payara);
                try {
                    orphans.pass();
                } catch (ReflectiveOperationException | RuntimeException e) {
                    System.err.println("[notify] Looking for forgotten transaction branches failed, next try in " + INTERVAL_SECONDS
                            + " s: " + e);
                }
            }
        }, "notify incomplete transaction recovery");
        thread.setDaemon(true);
        thread.start();
    }

    private static void recoverIfNeeded(PayaraClasses payara) {
        try {
            Optional<Class<?>> transactions = payara.loaded("com.sun.jts.CosTransactions.RecoveryManager");
            Optional<Class<?>> recovery = payara.loaded("com.sun.enterprise.transaction.api.ResourceRecoveryManager");
            Optional<Class<?>> services = payara.loaded("org.glassfish.internal.api.Globals");
            if (transactions.isEmpty() || recovery.isEmpty() || services.isEmpty()) {
                return;
            }
            if (!(Boolean) transactions.get().getMethod("isIncompleteTxRecoveryRequired").invoke(null)) {
                return;
            }
            Object recoveryManager = services.get().getMethod("get", Class.class).invoke(null, recovery.get());
            recovery.get().getMethod("recoverIncompleteTx", boolean.class, String.class).invoke(recoveryManager, false, null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("[notify] Recovery of incomplete transactions failed, next try in " + INTERVAL_SECONDS + " s: " + e);
        }
    }
}
