package dev.notify.infrastructure.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;

import dev.notify.domain.Channel;
import dev.notify.domain.PublishedEvent;
import dev.notify.infrastructure.persistence.NotificationStore.Released;

/**
 * Hands a notification to its channel's workers: a message holding the notification's id on the
 * channel's queue, in the caller's transaction, in the user's message group so that one user's
 * notifications on a channel go out in order.
 */
@ApplicationScoped
public class NotificationDispatcher {

    @Inject
    @JMSConnectionFactory(Messaging.CONNECTION_FACTORY)
    JMSContext jms;

    public void dispatch(Channel channel, UUID notificationId, PublishedEvent event) {
        dispatch(channel, notificationId, event.userId(), event.eventId(), event.eventType(), event.traceId());
    }

    /** A notification released from held, or stalled: to its channel's queue again, to be sent in its turn. */
    public void dispatch(Released notification) {
        dispatch(notification.channel(), notification.notificationId(), notification.userId(), notification.eventId(),
                notification.eventType(), null);
    }

    /**
     * The received notification message again on its queue, due after {@code delay} (JMS's
     * delivery delay: Artemis's scheduled delivery), in the caller's transaction with the
     * acknowledgement of the received one: its provider asked to be called again later. It keeps
     * the attempts used so far and counts the deferral; in the user's group it comes after their
     * later messages, which find it pending and wait for it.
     */
    public void later(Message received, Duration delay, int attemptsUsed, int deferrals) {
        try {
            TextMessage message = jms.createTextMessage(received.getBody(String.class));
            for (Map.Entry<String, Object> property : Messaging.copyableProperties(received).entrySet()) {
                message.setObjectProperty(property.getKey(), property.getValue());
            }
            message.setIntProperty(Messaging.ATTEMPTS_BEFORE, attemptsUsed);
            message.setIntProperty(Messaging.DEFERRALS, deferrals);
            jms.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT).setDeliveryDelay(delay.toMillis())
                    .send(received.getJMSDestination(), message);
        } catch (JMSException e) {
            throw Messaging.unchecked(e);
        }
    }

    /** traceId: null when not known here (a released notification's event is not at hand). */
    private void dispatch(Channel channel, UUID notificationId, String userId, String eventId, String eventType, String traceId) {
        TextMessage message = jms.createTextMessage(notificationId.toString());
        try {
            message.setStringProperty(Messaging.NOTIFICATION_ID, notificationId.toString());
            if (traceId != null) {
                message.setStringProperty(Messaging.TRACE_ID, traceId);
            }
        } catch (JMSException e) {
            throw Messaging.unchecked(e);
        }
        Messaging.send(jms, jms.createQueue(channel.queue()), message, userId, eventId, eventType);
    }
}
