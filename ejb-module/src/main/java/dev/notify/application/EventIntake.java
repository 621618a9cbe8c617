package dev.notify.application;

import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import dev.notify.domain.PublishedEvent;
import dev.notify.infrastructure.messaging.EventPublisher;
import dev.notify.infrastructure.monitoring.EventLog;
import dev.notify.infrastructure.monitoring.Metrics;
import dev.notify.infrastructure.persistence.EventStore;
import dev.notify.persistence.EventRecord;

/**
 * Accepts the events that services publish, in the caller's transaction: the event's record and
 * its message commit together (the message leaves through the outbox once they have).
 */
@ApplicationScoped
public class EventIntake {

    private static final Logger LOG = Logger.getLogger(EventIntake.class.getName());

    @Inject
    EventStore store;

    @Inject
    EventPublisher publisher;

    /** Counted by Metrics once the transaction commits: an event whose transaction rolls back was not accepted. */
    @Inject
    Event<Metrics.EventOutcome> outcomes;

    /** Records and publishes an event unless its id is known already; its new record, or nothing when it was known. */
    public Optional<EventRecord> accept(PublishedEvent event) {
        try (EventLog.Scope published = EventLog.scope(EventLog.EVENT_ID, event.eventId(), EventLog.USER_ID, event.userId(),
                EventLog.TRACE_ID, event.traceId())) {
            Optional<EventRecord> accepted = store.recordAccepted(event);
            accepted.ifPresent(record -> publisher.publish(event));
            outcomes.fire(accepted.isPresent() ? Metrics.EventOutcome.ACCEPTED : Metrics.EventOutcome.DUPLICATE);
            EventLog.log(LOG, Level.INFO, accepted.isPresent()
                    ? "Event " + event.eventId() + " (" + event.eventType() + ") accepted"
                    : "Event " + event.eventId() + " published again: a duplicate, not published twice");
            return accepted;
        }
    }
}
