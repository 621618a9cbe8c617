package dev.notify.interfaces.messaging;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.Message;

import dev.notify.domain.PublishedEvent;
import dev.notify.infrastructure.messaging.Messaging;
import dev.notify.infrastructure.messaging.RedeliveryRequested;
import dev.notify.infrastructure.persistence.ActivityTimeline;

/**
 * A second, independent subscriber of the events topic (durable shared subscription
 * {@code activity}): it keeps each user's event timeline at its own pace. Every event reaches it
 * as it reaches the router; a failure or backlog here does not hold the router back, nor the
 * other way round.
 * <p>
 * It changes only the database: its claim of the event and the timeline's entry commit in one phase,
 * in a transaction of its own, and the resource adapter acknowledges the message after that commit.
 * A redelivery after a lost acknowledgement finds the claim, and the append is idempotent anyway.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Topic"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = Messaging.EVENTS_TOPIC),
        @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false"),
        @ActivationConfigProperty(propertyName = "subscriptionDurability", propertyValue = "Durable"),
        @ActivationConfigProperty(propertyName = "subscriptionName", propertyValue = Messaging.ACTIVITY_SUBSCRIPTION),
        @ActivationConfigProperty(propertyName = "shareSubscriptions", propertyValue = "true"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "2"),
        // acknowledged after the bean's own transaction commits (onMessage)
        @ActivationConfigProperty(propertyName = "useLocalTx", propertyValue = "true")
})
public class ActivityBean extends EventSubscriber {

    @Inject
    ActivityTimeline timeline;

    @Override
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void onMessage(Message message) {
        separately.run(() -> super.onMessage(message));
    }

    @Override
    protected void redeliver(String reason) {
        throw new RedeliveryRequested(reason);
    }

    @Override
    protected String subscription() {
        return Messaging.ACTIVITY_SUBSCRIPTION;
    }

    @Override
    protected void process(PublishedEvent event, int attempt) {
        timeline.append(event);
    }
}
