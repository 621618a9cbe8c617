package dev.notify.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An instance's name as its own in the cluster (InstanceIdentity's store side), on a real
 * PostgreSQL: one process at a time holds a name, a clean stop frees it at once, a dead one's
 * hold runs out.
 */
class ClusterWorkTest {

    private static final TestDatabase DB = TestDatabase.shared();
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final ClusterWork cluster = new ClusterWork();

    @BeforeEach
    void oneNameOnAnEmptyDatabase() {
        DB.clear();
        cluster.em = DB.entityManager();
        cluster.instance = "notify-1";
    }

    @Test
    void twoProcessesUnderOneNameCannotBothHoldIt() {
        assertTrue(take("first process"));

        assertFalse(take("second process"), "the name's lease is held and renewed by the first");
        assertTrue(renew("first process"));
        assertFalse(renew("second process"));
    }

    @Test
    void aCleanStopLetsTheNextProcessTakeTheNameAtOnce() {
        assertTrue(take("before the restart"));

        DB.transaction(() -> cluster.releaseIdentity("before the restart"));

        assertTrue(take("after the restart"));
        assertFalse(renew("before the restart"));
    }

    @Test
    void aDeadProcessesHoldRunsOutAndItCannotRenewItThen() {
        assertTrue(take("died"));

        DB.update("UPDATE lease SET expires_at = now() - interval '1 second' WHERE name = 'instance:notify-1'");

        assertTrue(take("started after it died"));
        assertFalse(renew("died"), "a process back from a long pause has lost its name");
    }

    @Test
    void eachNameHasItsOwnLease() {
        assertTrue(take("notify-1's process"));

        cluster.instance = "notify-2";

        assertTrue(take("notify-2's process"));
    }

    private boolean take(String boot) {
        return DB.transaction(() -> cluster.takeIdentity(boot, LEASE));
    }

    private boolean renew(String boot) {
        return DB.transaction(() -> cluster.renewIdentity(boot, LEASE));
    }
}
