package dev.notify.interfaces.health;

import java.time.Duration;
import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

import dev.notify.infrastructure.messaging.Failures;
import dev.notify.infrastructure.messaging.OutboxRelay;
import dev.notify.infrastructure.persistence.Outbox;
import dev.notify.infrastructure.persistence.SchemaMigration;

/**
 * The instance's MicroProfile Health checks, served by the server (Payara at /health/ready on the
 * HTTP port, WildFly on its management port). Ready while PostgreSQL answers: every request and
 * message needs it. The broker does not decide readiness: while it is away, accepted events wait
 * in the outbox and are sent when it is back, so an instance without it still takes the work; its
 * state is the {@code broker} check's data. Liveness has no check of its own: the server answers
 * while its threads do. A dead-letter queue above its threshold is an alert, not unreadiness
 * ({@code /api/v1/admin/health}).
 */
@ApplicationScoped
public class HealthChecks {

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    SchemaMigration schema;

    /** PostgreSQL answers; the data say what waits in the outbox. */
    @Produces
    @Readiness
    HealthCheck database() {
        return () -> {
            try {
                Outbox.Backlog backlog = outbox.backlog();
                return HealthCheckResponse.named("database").up()
                        .withData("outbox_messages", backlog.messages())
                        .withData("outbox_oldest_age_seconds", backlog.oldestAcceptedAt() == null ? 0
                                : Duration.between(backlog.oldestAcceptedAt(), OffsetDateTime.now()).toSeconds())
                        .build();
            } catch (RuntimeException e) { // whatever the database call fails with
                return HealthCheckResponse.named("database").down().withData("error", Failures.describe(e)).build();
            }
        };
    }

    /** Always up (see the class): whether the outbox reaches the broker, as data. */
    @Produces
    @Readiness
    HealthCheck broker() {
        return () -> HealthCheckResponse.named("broker").up()
                .withData("outbox_relay", relay.failingSince()
                        .map(since -> "failing since " + since + ": accepted events wait in the outbox")
                        .orElse("sending"))
                .build();
    }

    /** Started once the schema is migrated and the mapping checked against it (SchemaMigration). */
    @Produces
    @Startup
    HealthCheck schema() {
        return () -> HealthCheckResponse.named("schema").up().withData("version", schema.version()).build();
    }
}
