package dev.notify.application;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;

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
        return accept(List.of(event)).get(0);
    }

    /**
     * Records and publishes, in their order, the events whose ids are not known already (nor
     * earlier in the list), in one statement for the records and one for the messages: for each
     * event, its new record, or nothing when it was a duplicate.
     */
    public List<Optional<EventRecord>> accept(List<PublishedEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        Map<String, EventRecord> inserted = new HashMap<>();
        store.recordAccepted(events).forEach(record -> inserted.put(record.getEventId(), record));
        List<Optional<EventRecord>> accepted = new ArrayList<>();
        for (PublishedEvent event : events) {
            // an id given twice was inserted once: by its first occurrence
            accepted.add(Optional.ofNullable(inserted.remove(event.eventId())));
        }
        publisher.publish(IntStream.range(0, events.size()).filter(i -> accepted.get(i).isPresent()).mapToObj(events::get).toList());
        for (int i = 0; i < events.size(); i++) {
            logOutcome(events.get(i), accepted.get(i).isPresent());
        }
        return accepted;
    }

    private void logOutcome(PublishedEvent event, boolean accepted) {
        outcomes.fire(accepted ? Metrics.EventOutcome.ACCEPTED : Metrics.EventOutcome.DUPLICATE);
        try (EventLog.Scope published = EventLog.scope(EventLog.EVENT_ID, event.eventId(), EventLog.USER_ID, event.userId(),
                EventLog.TRACE_ID, event.traceId())) {
            EventLog.log(LOG, Level.INFO, accepted
                    ? "Event " + event.eventId() + " (" + event.eventType() + ") accepted"
                    : "Event " + event.eventId() + " published again: a duplicate, not published twice");
        }
    }
}
