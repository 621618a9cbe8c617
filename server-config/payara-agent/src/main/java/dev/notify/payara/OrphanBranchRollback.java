package dev.notify.payara;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * Rolls back a transaction branch that a resource holds prepared but that Payara's transaction
 * manager no longer knows: PostgreSQL killed while it answered a prepare records the prepare, Payara
 * sees the prepare fail, rolls the transaction back, cannot roll back that branch (the database is
 * down), counts it as done and forgets it. The branch then holds its row locks, silencing that
 * user's later notifications, until Payara's recovery at the next start rolls it back (it presumes
 * abort for a branch of its own with no coordinator). This makes the same presumption while the
 * server runs, for branches of this server and of this run only (the Xid's format, its branch
 * qualifier, the run's stamp in its global id), that no coordinator and no incomplete transaction
 * of the transaction manager names ({@code RecoveryManager.coordsByGlobalTID}, which holds a
 * transaction from its start until after its second phase, and {@code inCompleteTxMap}, which
 * holds a commit or rollback to finish), found so in two passes at least 30 s apart and checked
 * again just before. A branch of a transaction that finished meanwhile is gone: its rollback
 * answers that it is unknown. Payara's own facilities do not do this while it runs:
 * {@code recover-transactions} finishes only what {@code inCompleteTxMap} names, and its recovery
 * of XA resources ignores that map (it would roll back branches whose commit waits for a retry).
 * Read from Payara 6.2025.10's source (com.sun.jts.CosTransactions).
 */
final class OrphanBranchRollback {
    /** Payara's Xid format: 'J', 'T', 'S' (TransactionState). */
    private static final int PAYARA_FORMAT = ('J' << 16) + ('T' << 8) + 'S';
    /** Bytes 4 to 7 of a global id: the run's stamp, the same for every transaction of one run. */
    private static final int STAMP_FROM = 4;
    private static final int STAMP_TO = 8;
    private static final long GRACE_MILLIS = 30_000;
    /**
     * The JDBC resources' recovery handler only: the database's branches are the ones seen
     * forgotten, and the connectors' handler logs four SEVERE lines a pass on Payara Server for its
     * default JMS pool, whose broker is disabled.
     */
    private static final String JDBC_HANDLER = "JdbcRecoveryResourceHandler";

    private final PayaraClasses payara;
    /** Branches found unknown, by their Xid, with when they were first found so. */
    private final Map<String, Long> unknownSince = new HashMap<>();

    OrphanBranchRollback(PayaraClasses payara) {
        this.payara = payara;
    }

    void pass() throws ReflectiveOperationException {
        Optional<Class<?>> recoveryManager = payara.loaded("com.sun.jts.CosTransactions.RecoveryManager");
        Optional<Class<?>> handlers = payara.loaded("com.sun.enterprise.transaction.spi.RecoveryResourceHandler");
        Optional<Class<?>> services = payara.loaded("org.glassfish.internal.api.Globals");
        if (recoveryManager.isEmpty() || handlers.isEmpty() || services.isEmpty()) {
            return;
        }
        TransactionManagerView manager = new TransactionManagerView(recoveryManager.get());
        if (manager.runStamp() == null) {
            return; // no transaction in this run yet
        }
        Object locator = services.get().getMethod("getDefaultHabitat").invoke(null);
        Collection<?> resourceHandlers = (Collection<?>) locator.getClass().getMethod("getAllServices", Class.class, Annotation[].class)
                .invoke(locator, handlers.get(), new Annotation[0]);
        Set<String> stillUnknown = new HashSet<>();
        for (Object handler : resourceHandlers) {
            if (!handler.getClass().getSimpleName().equals(JDBC_HANDLER)) {
                continue;
            }
            List<Object> resources = new ArrayList<>();
            List<Object> connections = new ArrayList<>();
            handlers.get().getMethod("loadXAResourcesAndItsConnections", List.class, List.class).invoke(handler, resources, connections);
            try {
                for (Object resource : resources) {
                    stillUnknown.addAll(pass((XAResource) resource, manager));
                }
            } finally {
                handlers.get().getMethod("closeConnections", List.class).invoke(handler, connections);
            }
        }
        unknownSince.keySet().retainAll(stillUnknown);
    }

    /** The branches of this resource that are still unknown and left for a later pass. */
    private Set<String> pass(XAResource resource, TransactionManagerView manager) throws ReflectiveOperationException {
        Xid[] prepared;
        try {
            prepared = resource.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
        } catch (XAException e) {
            System.err.println("[notify] Could not list the prepared branches of " + resource + ": " + e);
            return Set.of();
        }
        Set<String> left = new HashSet<>();
        long now = System.currentTimeMillis();
        // listed first, then checked: a branch unknown after it was listed belongs to a finished transaction
        for (Xid xid : prepared == null ? new Xid[0] : prepared) {
            if (!ofThisServerAndRun(xid, manager) || manager.knows(xid)) {
                continue;
            }
            String key = HexFormat.of().formatHex(xid.getGlobalTransactionId()) + "/" + HexFormat.of().formatHex(xid.getBranchQualifier());
            long since = unknownSince.computeIfAbsent(key, k -> now);
            if (now - since < GRACE_MILLIS || manager.knows(xid)) {
                left.add(key);
                continue;
            }
            try {
                resource.rollback(xid);
                System.err.println("[notify] Rolled back transaction branch " + key + " of " + resource
                        + ": prepared, and unknown to the transaction manager for " + (now - since) / 1000 + " s");
            } catch (XAException e) {
                if (e.errorCode != XAException.XAER_NOTA) {
                    System.err.println("[notify] Could not roll back transaction branch " + key + ", next try in a later pass: " + e);
                    left.add(key);
                }
            }
        }
        return left;
    }

    private static boolean ofThisServerAndRun(Xid xid, TransactionManagerView manager) {
        byte[] global = xid.getGlobalTransactionId();
        byte[] branch = xid.getBranchQualifier();
        byte[] server = (manager.serverName() + ",").getBytes();
        // the branch qualifier: the server's name, a comma and one byte, the branch's index
        return xid.getFormatId() == PAYARA_FORMAT && global.length >= STAMP_TO
                && branch.length == server.length + 1 && Arrays.equals(branch, 0, server.length, server, 0, server.length)
                && Arrays.equals(global, STAMP_FROM, STAMP_TO, manager.runStamp(), STAMP_FROM, STAMP_TO);
    }

    /** What Payara's transaction manager knows, read from its static state. */
    private static final class TransactionManagerView {
        private final Class<?> globalTid;
        private final Method globalIdOfCoordinator;
        private final Field coordinators;
        private final Field incomplete;
        private final byte[] runStamp;
        private final String serverName;

        TransactionManagerView(Class<?> recoveryManager) throws ReflectiveOperationException {
            globalTid = PayaraClasses.beside(recoveryManager, "com.sun.jts.CosTransactions.GlobalTID");
            globalIdOfCoordinator = PayaraClasses.beside(recoveryManager, "com.sun.jts.CosTransactions.CoordinatorImpl")
                    .getDeclaredMethod("getGlobalTID");
            globalIdOfCoordinator.setAccessible(true);
            coordinators = recoveryManager.getDeclaredField("coordsByGlobalTID");
            coordinators.setAccessible(true);
            incomplete = recoveryManager.getDeclaredField("inCompleteTxMap");
            incomplete.setAccessible(true);
            Field template = PayaraClasses.beside(recoveryManager, "com.sun.jts.CosTransactions.TransactionState")
                    .getDeclaredField("TIDTemplate");
            template.setAccessible(true);
            runStamp = (byte[]) template.get(null);
            serverName = (String) PayaraClasses.beside(recoveryManager, "com.sun.jts.CosTransactions.Configuration")
                    .getMethod("getServerName").invoke(null);
            // resynchronisation at the start rebuilds the coordinators of the log's transactions
            recoveryManager.getMethod("waitForResync").invoke(null);
        }

        byte[] runStamp() {
            return runStamp;
        }

        String serverName() {
            return serverName;
        }

        /** Whether a coordinator, or a transaction left incomplete, has the Xid's global id. */
        boolean knows(Xid xid) throws ReflectiveOperationException {
            Object id = globalTid.getConstructor(Xid.class).newInstance(xid);
            if (((Map<?, ?>) coordinators.get(null)).containsKey(id)) {
                return true;
            }
            Map<?, ?> incompleteTransactions = (Map<?, ?>) incomplete.get(null);
            synchronized (incompleteTransactions) {
                for (Object coordinator : incompleteTransactions.keySet()) {
                    Object other = globalTid.getConstructor(globalIdOfCoordinator.getReturnType())
                            .newInstance(globalIdOfCoordinator.invoke(coordinator));
                    if (id.equals(other)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
