package dev.notify.interfaces.messaging;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;

import dev.notify.application.EventRouting;
import dev.notify.domain.PublishedEvent;
import dev.notify.infrastructure.messaging.Messaging;

/**
 * Consumes the events topic on the durable shared subscription {@code router}: every instance of
 * the bean (and of the application) competes for its messages, and one user's messages are
 * consumed in order (message groups). In one XA transaction with the acknowledgement: the dedup
 * row and the event's routing (EventRouting). The resource adapter this bean binds to is set per server
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
    EventRouting routing;

    @Override
    protected String subscription() {
        return Messaging.ROUTER_SUBSCRIPTION;
    }

    @Override
    protected void process(PublishedEvent event, int attempt) {
        routing.route(event, attempt);
    }

    @Override
    protected void deadLettered(PublishedEvent event) {
        routing.givenUp(event);
    }
}
