package dev.notify.infrastructure.messaging;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.notify.application.EventPublisher;
import dev.notify.application.WireJson;
import dev.notify.domain.PublishedEvent;

/** Publishes events as persistent JSON text messages to the events topic. */
@ApplicationScoped
public class JmsEventPublisher implements EventPublisher {

    @Inject
    @JMSConnectionFactory(Messaging.CONNECTION_FACTORY)
    JMSContext jms;

    /**
     * Claim check: an event whose JSON is larger than this travels without its payload, which the
     * consumer reads from the event's row (recorded in the same transaction, see EventPublisher).
     * Keeps large payloads out of the broker's memory and journal.
     */
    @Inject
    @ConfigProperty(name = "notify.events.claim-check-bytes", defaultValue = "65536")
    int claimCheckBytes;

    @Override
    public void publish(PublishedEvent event) {
        String json = WireJson.write(event);
        boolean byReference = json.getBytes(StandardCharsets.UTF_8).length > claimCheckBytes;
        TextMessage message = jms.createTextMessage(byReference ? WireJson.write(event.withoutPayload()) : json);
        try {
            if (byReference) {
                message.setBooleanProperty(Messaging.PAYLOAD_BY_REFERENCE, true);
            }
            message.setStringProperty(Messaging.DUPLICATE_ID, event.eventId());
        } catch (JMSException e) {
            throw Messaging.unchecked(e);
        }
        Messaging.send(jms, jms.createTopic(Messaging.EVENTS_TOPIC), message, event);
    }
}
