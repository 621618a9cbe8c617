package dev.notify.infrastructure.messaging;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
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
