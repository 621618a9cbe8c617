package dev.notify.infrastructure.messaging;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.notify.domain.PublishedEvent;
import dev.notify.domain.WireJson;
import dev.notify.infrastructure.persistence.Outbox;
import dev.notify.persistence.OutboxMessage;

/**
 * Publishes an event by writing its message to the outbox, in the caller's transaction: accepting
 * an event needs the database only, and the relay sends the message once that transaction has
 * committed (OutboxRelay), at once or, while the broker is away, when it is back.
 */
@ApplicationScoped
public class OutboxEventPublisher implements EventPublisher {

    @Inject
    Outbox outbox;

    @Inject
    Event<OutboxRelay.Written> written;

    /**
     * Claim check: an event whose JSON is larger than this travels without its payload, which the
     * consumer reads from the event's row (recorded in the same transaction, see EventPublisher).
     * Keeps large payloads out of the broker's memory and journal.
     */
    @Inject
    @ConfigProperty(name = "notify.events.claim-check-bytes", defaultValue = "65536")
    int claimCheckBytes;

    @Override
    public void publish(List<PublishedEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        outbox.add(events.stream().map(this::message).toList());
        written.fire(OutboxRelay.WRITTEN);
    }

    private OutboxMessage message(PublishedEvent event) {
        String json = WireJson.write(event);
        boolean byReference = json.getBytes(StandardCharsets.UTF_8).length > claimCheckBytes;
        return new OutboxMessage(event.eventId(), event.eventType(), event.userId(),
                byReference ? WireJson.write(event.withoutPayload()) : json, byReference);
    }
}
