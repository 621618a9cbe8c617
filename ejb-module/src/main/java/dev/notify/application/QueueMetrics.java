package dev.notify.application;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import dev.notify.application.DeadLetterAdmin.Destination;
import dev.notify.infrastructure.monitoring.Metrics;
import dev.notify.infrastructure.persistence.Outbox;

/**
 * The metrics read at scrape time, beside the instance's own (Metrics): every queue's figures as
 * the broker reports them at that moment (its lag in messages and in time, consumers, what it
 * added, acknowledged and dead-lettered since it started; a dead-letter queue's messages are its
 * size), and the outbox's depth from the database. The same from every instance of a cluster.
 */
@ApplicationScoped
public class QueueMetrics {

    @Inject
    DeadLetterAdmin admin;

    @Inject
    Outbox outbox;

    @Inject
    Metrics metrics;

    /** The broker's figures of the last scrape, by queue; what the queues' meters read. */
    private final Map<String, Destination> latest = new ConcurrentHashMap<>();

    @PostConstruct
    void registerOutbox() {
        Gauge.builder("notify.outbox.messages", outbox, Outbox::depth)
                .description("Accepted events not yet sent to the broker")
                .strongReference(true)
                .register(metrics.registry());
    }

    /** Every metric, with the broker's queues read now, in Prometheus' text format. */
    public String scrape() {
        List<Destination> queues = admin.destinations();
        latest.keySet().retainAll(queues.stream().map(Destination::name).toList());
        for (Destination queue : queues) {
            if (latest.put(queue.name(), queue) == null) {
                register(queue);
            }
        }
        return metrics.scrape();
    }

    /** A queue's meters, once: they read the latest figures (none once the queue is gone). */
    private void register(Destination queue) {
        MeterRegistry registry = metrics.registry();
        Tags tags = Tags.of("queue", queue.name(), "kind", queue.kind());
        gauge(registry, "notify.queue.messages", "Messages waiting or in flight, the consumers' lag", tags, queue, Destination::messages);
        gauge(registry, "notify.queue.consumers", "Consumers attached", tags, queue, Destination::consumers);
        gauge(registry, "notify.queue.delivering", "Messages delivered and not yet acknowledged", tags, queue, Destination::delivering);
        Gauge.builder("notify.queue.oldest.message.age", latest, figures -> figure(figures, queue,
                        q -> q.oldestMessageAgeMillis() == null ? 0 : q.oldestMessageAgeMillis() / 1000.0))
                .description("Age of the oldest message, the lag in time").baseUnit("seconds").tags(tags)
                .strongReference(true).register(registry);
        counter(registry, "notify.queue.messages.added", "Messages added since the broker started", tags, queue, Destination::added);
        counter(registry, "notify.queue.messages.acknowledged", "Messages acknowledged since the broker started", tags, queue,
                Destination::acknowledged);
        counter(registry, "notify.queue.messages.killed", "Messages dead-lettered by the broker since it started", tags, queue,
                Destination::killed);
    }

    private void gauge(MeterRegistry registry, String name, String description, Tags tags, Destination queue,
                       ToDoubleFunction<Destination> value) {
        Gauge.builder(name, latest, figures -> figure(figures, queue, value)).description(description).tags(tags)
                .strongReference(true).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, Tags tags, Destination queue,
                         ToDoubleFunction<Destination> value) {
        FunctionCounter.builder(name, latest, figures -> figure(figures, queue, value)).description(description).tags(tags)
                .register(registry);
    }

    private static double figure(Map<String, Destination> figures, Destination queue, ToDoubleFunction<Destination> value) {
        Destination now = figures.get(queue.name());
        return now == null ? Double.NaN : value.applyAsDouble(now);
    }
}
