package dev.notify.infrastructure.messaging;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import dev.notify.application.EventRecorded;
import dev.notify.domain.PublishedEvent;

/**
 * Consumes the events topic on the durable shared subscription {@code router}: every instance of
 * the bean (and of the application) competes for its messages, and one user's messages are
 * consumed in order (message groups). In one XA transaction with the acknowledgement: the dedup
 * row and the event's processed state. The resource adapter this bean binds to is set per server
 * (server-config), not here.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Topic"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = Messaging.EVENTS_TOPIC),
        @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false"),
        @ActivationConfigProperty(propertyName = "subscriptionDurability", propertyValue = "Durable"),
        @ActivationConfigProperty(propertyName = "subscriptionName", propertyValue = Messaging.ROUTER_SUBSCRIPTION),
        @ActivationConfigProperty(propertyName = "shareSubscriptions", propertyValue = "true"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "4")
})
public class RouterBean extends EventSubscriber {

    @Inject
    Event<EventRecorded> recorded;

    @Override
    protected String subscription() {
        return Messaging.ROUTER_SUBSCRIPTION;
    }

    @Override
    protected void process(PublishedEvent event, int attempt) {
        store.recordProcessed(event);
        recorded.fire(new EventRecorded(Messaging.ROUTER_SUBSCRIPTION, event, attempt));
    }
}
