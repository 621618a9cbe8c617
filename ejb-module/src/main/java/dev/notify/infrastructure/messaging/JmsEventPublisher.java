package dev.notify.infrastructure.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;

import dev.notify.application.WireJson;
import dev.notify.application.EventPublisher;
import dev.notify.domain.PublishedEvent;

/** Publishes events as persistent JSON text messages to the events topic. */
@ApplicationScoped
public class JmsEventPublisher implements EventPublisher {

    @Inject
    @JMSConnectionFactory(Messaging.CONNECTION_FACTORY)
    JMSContext jms;

    @Override
    public void publish(PublishedEvent event) {
        TextMessage message = jms.createTextMessage(WireJson.write(event));
        try {
            message.setStringProperty(Messaging.GROUP_ID, event.userId());
            message.setStringProperty(Messaging.DUPLICATE_ID, event.eventId());
            message.setStringProperty(Messaging.EVENT_ID, event.eventId());
            message.setStringProperty(Messaging.EVENT_TYPE, event.eventType());
        } catch (JMSException e) {
            throw Messaging.unchecked(e);
        }
        jms.createProducer()
                .setDeliveryMode(DeliveryMode.PERSISTENT)
                .send(jms.createTopic(Messaging.EVENTS_TOPIC), message);
    }
}
