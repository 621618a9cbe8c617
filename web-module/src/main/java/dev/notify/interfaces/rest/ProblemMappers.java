package dev.notify.interfaces.rest;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Priority;
import jakarta.resource.ResourceException;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionalException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import dev.notify.application.ReplayJobs.ReplayInProgress;
import dev.notify.domain.InvalidFieldsException;
import dev.notify.domain.MalformedJsonException;
import dev.notify.infrastructure.messaging.BrokerManagement.BrokerOperationFailed;

/** Maps every failure of a request to problem+json. */
public final class ProblemMappers {

    private ProblemMappers() {
    }

    @Provider
    public static class Malformed implements ExceptionMapper<MalformedJsonException> {
        @Override
        public Response toResponse(MalformedJsonException e) {
            return Problem.response(400, e.getMessage());
        }
    }

    @Provider
    public static class Invalid implements ExceptionMapper<InvalidFieldsException> {
        @Override
        public Response toResponse(InvalidFieldsException e) {
            return Problem.response(422, "the request breaks " + e.errors().size() + " rule(s): " + e.getMessage(), e.errors());
        }
    }

    /** Errors of the HTTP exchange itself: 404, 405, 413, 415, ... */
    @Provider
    public static class Http implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            String detail = e.getMessage() == null ? Response.Status.fromStatusCode(status).getReasonPhrase() : e.getMessage();
            return Problem.response(status, detail);
        }
    }

    /** The broker refused or failed a management operation: its answer helps the operator. */
    @Provider
    public static class BrokerFailed implements ExceptionMapper<BrokerOperationFailed> {
        @Override
        public Response toResponse(BrokerOperationFailed e) {
            return Problem.response(502, "the broker did not complete the operation: " + e.getMessage());
        }
    }

    @Provider
    public static class JobConflict implements ExceptionMapper<ReplayInProgress> {
        @Override
        public Response toResponse(ReplayInProgress e) {
            return Problem.response(409, e.getMessage());
        }
    }

    /**
     * A failure of a {@code @Transactional} method's transaction, mostly at its commit, mapped as
     * {@link Unexpected} maps it. Without this one Jersey's own mapper for it is chosen, which
     * rethrows what it cannot map: an empty 500 instead of problem+json (seen when PostgreSQL died
     * during a publishing request's commit on Payara).
     */
    @Provider
    @Priority(1)
    public static class TransactionFailed implements ExceptionMapper<TransactionalException> {
        @Override
        public Response toResponse(TransactionalException e) {
            return new Unexpected().toResponse(e);
        }
    }

    /**
     * Anything else: 503 with Retry-After when the database (or the broker, for the admin API)
     * cannot be reached, which a client should retry; otherwise our fault, 500. Logged once here,
     * shown without internals.
     */
    @Provider
    public static class Unexpected implements ExceptionMapper<Exception> {
        private static final Logger LOG = Logger.getLogger(Unexpected.class.getName());
        static final int RETRY_AFTER_SECONDS = 5;

        @Override
        public Response toResponse(Exception e) {
            if (unreachable(e)) {
                LOG.log(Level.WARNING, "Request refused, a resource is unreachable: {0}", String.valueOf(e));
                return Response.fromResponse(Problem.response(503, "the database or the broker cannot be reached at the moment;"
                        + " try again in " + RETRY_AFTER_SECONDS + " s (the same request again: an event id already"
                        + " accepted is not accepted twice)")).header("Retry-After", RETRY_AFTER_SECONDS).build();
            }
            LOG.log(Level.SEVERE, "Request failed", e);
            return Problem.response(500, "the request could not be completed; the server log has the cause");
        }

        /**
         * A failure to reach a resource, as each layer reports it, among the causes and the
         * suppressed exceptions: a refused or broken connection (SQLState class 08), a database
         * shutting down or starting (57P01 to 57P03), a connection pool that cannot hand one out,
         * or a transaction manager that lost a resource at commit ({@code SystemException}: Payara's
         * {@code JTS5031 ... completed: Maybe}). WildFly's transaction manager reports a commit that lost PostgreSQL midway as a
         * {@code HeuristicMixedException} whose driver error is suppressed, not its cause; its
         * outcome is unknown, and the client's retry of the same event settles it.
         */
        static boolean unreachable(Throwable failure) {
            if (failure == null) {
                return false;
            }
            return failure instanceof ConnectException || failure instanceof ResourceException || failure instanceof SystemException
                    || failure instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))
                    || failure.getCause() != failure && unreachable(failure.getCause())
                    || Arrays.stream(failure.getSuppressed()).anyMatch(Unexpected::unreachable);
        }
    }
}
