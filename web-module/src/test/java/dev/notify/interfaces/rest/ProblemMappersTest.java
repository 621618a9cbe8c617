package dev.notify.interfaces.rest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.sql.SQLException;
import javax.transaction.xa.XAException;

import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionalException;

import org.junit.jupiter.api.Test;

/** Which failures answer 503 with Retry-After (a resource out of reach) rather than 500. */
class ProblemMappersTest {

    @Test
    void aCommitThatLostTheDatabaseMidwayIsAnsweredAsUnreachable() {
        // as WildFly reported it in the fault-injection suite's database-restarted scenario
        SQLException connectionLost = new SQLException("An I/O error occurred while sending to the backend.", "08006",
                new SocketException("Connection reset"));
        XAException onePhaseCommit = new XAException("Error during one-phase commit.");
        onePhaseCommit.initCause(connectionLost);
        HeuristicMixedException commit = new HeuristicMixedException();
        commit.addSuppressed(onePhaseCommit);

        assertTrue(ProblemMappers.Unexpected.unreachable(commit));
    }

    @Test
    void aCommitWhoseOutcomeTheTransactionManagerDoesNotKnowIsAnsweredAsUnreachable() {
        // as Payara reported it in the fault-injection suite's database-restarted scenario
        TransactionalException commit = new TransactionalException("Managed bean with Transactional annotation and TxType of"
                + " REQUIRED encountered exception during commit", new SystemException("org.omg.CORBA.INTERNAL: JTS5031: Exception"
                + " [org.omg.CORBA.INTERNAL:   vmcid: 0x0  minor code: 0 completed: Maybe] on Resource [commit one phase] operation."));

        assertTrue(ProblemMappers.Unexpected.unreachable(commit));
    }

    @Test
    void aConnectionRefusedAmongTheCausesIsUnreachable() {
        assertTrue(ProblemMappers.Unexpected.unreachable(new IllegalStateException(new java.net.ConnectException("refused"))));
    }

    @Test
    void aFailureWithoutAnUnreachableResourceIsNot() {
        assertFalse(ProblemMappers.Unexpected.unreachable(new HeuristicMixedException()));
        assertFalse(ProblemMappers.Unexpected.unreachable(new IllegalStateException("a bug",
                new SQLException("duplicate key", "23505"))));
    }
}
