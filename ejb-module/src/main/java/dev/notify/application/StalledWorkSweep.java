package dev.notify.application;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.notify.domain.PublishedEvent;
import dev.notify.domain.WireJson;
import dev.notify.infrastructure.messaging.EventPublisher;
import dev.notify.infrastructure.messaging.NotificationDispatcher;
import dev.notify.infrastructure.persistence.EventStore;
import dev.notify.infrastructure.persistence.NotificationStore;
import dev.notify.infrastructure.persistence.NotificationStore.Released;
import dev.notify.infrastructure.transactions.PeriodicTasks;
import dev.notify.persistence.EventRecord;

/**
 * Sends again what waits for a message that went missing: a pending notification with no message
 * on its way (it would also hold back the user's later notifications on the channel for good), and
 * an accepted event that never reached the router. A message goes missing when the broker side of
 * a transaction stays in doubt after a crash until the transaction manager resolves it, or is lost
 * with a broker's journal. Each sweep runs in one XA transaction of its own (PeriodicTasks: a
 * failed sweep never stops the timer), so the rows it marks and the messages it sends go together. A message that was only late finds its work done, which every
 * consumer skips. Not persistent: every instance sweeps; locked rows keep two from taking the same.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
public class StalledWorkSweep {

    private static final Logger LOG = Logger.getLogger(StalledWorkSweep.class.getName());

    /** At most this many notifications and this many events per sweep. */
    private static final int BATCH = 500;

    /**
     * How long work may wait with no message on its way before it is sent again: far beyond the
     * longest back-off between two attempts and the usual queue backlog.
     */
    @Inject
    @ConfigProperty(name = "notify.stalled.after", defaultValue = "PT5M")
    Duration after;

    @Inject
    @ConfigProperty(name = "notify.stalled.sweep-interval", defaultValue = "PT1M")
    Duration interval;

    @Inject
    NotificationStore notifications;

    @Inject
    EventStore events;

    @Inject
    NotificationDispatcher dispatcher;

    @Inject
    EventPublisher publisher;

    @Inject
    PeriodicTasks tasks;

    @Resource
    TimerService timers;

    @PostConstruct
    void schedule() {
        timers.createIntervalTimer(interval.toMillis(), interval.toMillis(), new TimerConfig("stalled work sweep", false));
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void sweep() {
        tasks.runInTransaction("stalled-work-sweep", this::sweepOnce);
    }

    private void sweepOnce() {
        List<Released> stalledNotifications = notifications.redispatchStalled(after, BATCH);
        stalledNotifications.forEach(dispatcher::dispatch);
        List<EventRecord> stalledEvents = events.takeStalled(after, BATCH);
        publisher.publish(stalledEvents.stream().map(StalledWorkSweep::published).toList());
        if (!stalledNotifications.isEmpty() || !stalledEvents.isEmpty()) {
            LOG.warning(() -> "Sent again after " + after + " with no message on its way: " + stalledNotifications.size()
                    + " notification(s), " + stalledEvents.size() + " event(s) (" + String.join(", ",
                    stalledEvents.stream().map(EventRecord::getEventId).limit(10).toList()) + ")");
        }
    }

    private static PublishedEvent published(EventRecord event) {
        return new PublishedEvent(event.getEventId(), event.getEventType(), event.getUserId(), event.getOccurredAt(),
                WireJson.readObject(event.getPayload()),
                event.getMetadata() == null ? null : WireJson.readObject(event.getMetadata()));
    }
}
