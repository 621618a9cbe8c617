package dev.notify.infrastructure.monitoring;

import java.time.Duration;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import dev.notify.domain.Channel;
import dev.notify.persistence.NotificationStatus;

/**
 * The instance's metrics, kept by Micrometer and read in Prometheus' text format. In the
 * application rather than in a server's own facility: Payara offers MicroProfile Metrics, which
 * WildFly 39 no longer has, and WildFly its Micrometer subsystem, which Payara lacks; Micrometer in
 * the deployment counts the same on all three, and is read from the application's own endpoint.
 * Counters and timers are this instance's; a cluster's are the sum over its instances.
 */
@ApplicationScoped
public class Metrics {

    /** How an accepted event's publishing ended, or a request's event that was not taken. */
    public enum EventOutcome { ACCEPTED, DUPLICATE, REJECTED }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public MeterRegistry registry() {
        return registry;
    }

    /** Everything, in Prometheus' text format. */
    public String scrape() {
        return registry.scrape();
    }

    /** An event accepted or found a duplicate, once the transaction that did so has committed. */
    void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) EventOutcome outcome) {
        event(outcome);
    }

    public void event(EventOutcome outcome) {
        Counter.builder("notify.events")
                .description("Events published to the service, by outcome: accepted, duplicate (an event id already known), rejected (invalid)")
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }

    /** A notification of the event settled on its channel: sent, failed (refused by the provider) or dead-lettered. */
    public record NotificationSettled(Channel channel, NotificationStatus status, String eventId) {
    }

    /** Counted once the transaction that settled the notification has committed, as the events are. */
    void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) NotificationSettled settled) {
        notification(settled.channel(), settled.status());
    }

    private void notification(Channel channel, NotificationStatus status) {
        Counter.builder("notify.notifications")
                .description("Notifications settled, by channel and status: sent, failed (refused), dead-lettered")
                .tag("channel", channel.wireName())
                .tag("status", status.wireName())
                .register(registry).increment();
    }

    /** A round of a periodic task (an EJB timer's work) done or failed; a failed one is retried at the task's next interval. */
    public void periodicRound(String task, String outcome) {
        Counter.builder("notify.periodic.rounds")
                .description("Rounds of the periodic tasks (stalled-work sweep, outbox sweep, job leases, dedup pruning), by outcome: done, failed")
                .tag("task", task)
                .tag("outcome", outcome)
                .register(registry).increment();
    }

    /** A consumer (a subscription, or a channel's worker) handles one message, timed however it ends. */
    public void timeConsumer(String consumer, Runnable handling) {
        long start = System.nanoTime();
        try {
            handling.run();
        } finally {
            consumerTimer(consumer).record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private Timer consumerTimer(String consumer) {
        return Timer.builder("notify.consumer.processing")
                .description("Time a message-driven bean spent on one message, before its transaction's commit")
                .tag("consumer", consumer)
                .publishPercentileHistogram()
                .register(registry);
    }

    /** One call of a channel's provider: sent, refused (a permanent failure) or failed (to be retried). */
    public void providerCall(Channel channel, String outcome, Duration took) {
        Timer.builder("notify.provider.call")
                .description("Calls of the channels' providers (SMTP, SMS, push), by outcome")
                .tag("channel", channel.wireName())
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry).record(took);
    }
}
