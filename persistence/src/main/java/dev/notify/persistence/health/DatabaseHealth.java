package dev.notify.persistence.health;

import java.time.Duration;
import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;
import org.flywaydb.core.api.MigrationInfoService;

import dev.notify.persistence.Schema;

/**
 * The instance's MicroProfile Health checks, served by the server: Payara at /health/ready beside
 * the application, WildFly on its management port. They live in this module because WildFly
 * registers checks from an EAR's lib/ only, never from its web or EJB module.
 *
 * <p>Ready while PostgreSQL answers: every request and message needs it. The broker does not decide
 * readiness: while it is away, accepted events wait in the outbox and are sent when it is back, so
 * an instance without it still takes the work, and taking every instance out of a load balancer
 * for it would refuse what the outbox is there to keep. Its outage shows in the readiness data, as
 * the outbox's growing oldest age. Liveness has no check of the application's own: the server
 * answers while its threads do. A dead-letter queue above its threshold is an alert, not
 * unreadiness ({@code /api/v1/admin/health}).
 */
@ApplicationScoped
public class DatabaseHealth {

    /** A probe must get an answer while it waits, not hang on a database that does not reply. */
    private static final int QUERY_TIMEOUT_MILLIS = 3_000;

    /**
     * What waits in the outbox for the broker: how many messages, and when the oldest was accepted
     * (null when none waits). Boxed: Hibernate finds the constructor by the query's exact types.
     */
    public record OutboxBacklog(Long messages, OffsetDateTime oldestAcceptedAt) {

        long oldestAgeSeconds() {
            return oldestAcceptedAt == null ? 0 : Duration.between(oldestAcceptedAt, OffsetDateTime.now()).toSeconds();
        }
    }

    /** PostgreSQL answers; the data say what waits in the outbox for the broker. */
    @Produces
    @Readiness
    HealthCheck database() {
        return () -> {
            try (EntityManager em = Schema.entityManagerFactory().createEntityManager()) {
                OutboxBacklog backlog = em.createQuery("SELECT count(m), min(m.acceptedAt) FROM OutboxMessage m", OutboxBacklog.class)
                        .setHint("jakarta.persistence.query.timeout", QUERY_TIMEOUT_MILLIS)
                        .getSingleResult();
                return HealthCheckResponse.named("database").up()
                        .withData("outbox_messages", backlog.messages())
                        .withData("outbox_oldest_age_seconds", backlog.oldestAgeSeconds())
                        .build();
            } catch (RuntimeException e) { // whatever the database call fails with
                return down("database", e);
            }
        };
    }

    /** Started once every migration the application carries is applied (SchemaMigration runs them at deployment). */
    @Produces
    @Startup
    HealthCheck schema() {
        return () -> {
            try {
                MigrationInfoService migrations = Schema.migrations().info();
                int pending = migrations.pending().length;
                return HealthCheckResponse.named("schema").status(pending == 0)
                        .withData("version", migrations.current() == null ? "none" : migrations.current().getVersion().getVersion())
                        .withData("pending_migrations", pending)
                        .build();
            } catch (RuntimeException e) {
                return down("schema", e);
            }
        };
    }

    private static HealthCheckResponse down(String check, RuntimeException e) {
        return HealthCheckResponse.named(check).down().withData("error", e.toString()).build();
    }
}
