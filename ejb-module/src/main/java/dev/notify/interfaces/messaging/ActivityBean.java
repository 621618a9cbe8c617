package dev.notify.interfaces.messaging;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;

import dev.notify.domain.PublishedEvent;
import dev.notify.infrastructure.messaging.Messaging;
import dev.notify.infrastructure.persistence.ActivityTimeline;

/**
 * A second, independent subscriber of the events topic (durable shared subscription
 * {@code activity}): it keeps each user's event timeline at its own pace. Every event reaches it
 * as it reaches the router; a failure or backlog here does not hold the router back, nor the
 * other way round.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Topic"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = Messaging.EVENTS_TOPIC),
        @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false"),
        @ActivationConfigProperty(propertyName = "subscriptionDurability", propertyValue = "Durable"),
        @ActivationConfigProperty(propertyName = "subscriptionName", propertyValue = Messaging.ACTIVITY_SUBSCRIPTION),
        @ActivationConfigProperty(propertyName = "shareSubscriptions", propertyValue = "true"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "2")
})
public class ActivityBean extends EventSubscriber {

    @Inject
    ActivityTimeline timeline;

    @Override
    protected String subscription() {
        return Messaging.ACTIVITY_SUBSCRIPTION;
    }

    @Override
    protected void process(PublishedEvent event, int attempt) {
        timeline.append(event);
    }
}
