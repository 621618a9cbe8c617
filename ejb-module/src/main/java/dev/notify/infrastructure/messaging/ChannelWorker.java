package dev.notify.infrastructure.messaging;

import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.ejb.MessageDrivenContext;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.notify.domain.Channel;
import dev.notify.infrastructure.persistence.NotificationStore;
import dev.notify.infrastructure.persistence.NotificationStore.Delivery;

/**
 * What every channel's worker does with a notification, in its container-managed XA transaction:
 * skip it when it is no longer pending (sent already: the side effect is at-least-once, this keeps
 * it from repeating on a redelivery), send it, and mark it sent with the acknowledgement. A
 * permanent refusal marks it failed; anything else is retried by the broker with back-off.
 */
public abstract class ChannelWorker implements MessageListener {

    private static final Logger LOG = Logger.getLogger(ChannelWorker.class.getName());

    @Inject
    NotificationStore notifications;

    /** The broker's max-delivery-attempts for notification.#: the last attempt is known as such. */
    @Inject
    @ConfigProperty(name = "notify.delivery.max-attempts", defaultValue = "5")
    int maxAttempts;

    @Resource
    MessageDrivenContext context;

    protected abstract Channel channel();

    /**
     * Sends the notification; returns normally once the provider has it.
     *
     * @throws PermanentFailure when the provider refuses it for good (a 4xx, an invalid address)
     */
    protected abstract void send(Delivery notification) throws PermanentFailure;

    @Override
    public void onMessage(Message message) {
        UUID notificationId = notificationId(message);
        Optional<Delivery> notification = notifications.forDelivery(notificationId);
        if (notification.isEmpty() || !"pending".equals(notification.get().status())) {
            return;
        }
        int attempt = Failures.attempt(message);
        try {
            send(notification.get());
        } catch (PermanentFailure e) {
            notifications.markFailed(notificationId, attempt, e.getMessage());
            LOG.warning(() -> channel().wireName() + " notification " + notificationId + " refused: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            String reason = Failures.describe(e);
            boolean lastAttempt = attempt >= maxAttempts;
            notifications.recordFailedAttempt(notificationId, attempt, reason, lastAttempt);
            LOG.warning(() -> channel().wireName() + " notification " + notificationId + " failed on attempt " + attempt
                    + (lastAttempt ? ", the last: dead-lettered: " : ", will be retried: ") + reason);
            context.setRollbackOnly();
            return;
        }
        notifications.markSent(notificationId, attempt);
    }

    private static UUID notificationId(Message message) {
        try {
            return UUID.fromString(message.getStringProperty(Messaging.NOTIFICATION_ID));
        } catch (JMSException e) {
            throw Messaging.unchecked(e);
        }
    }

    /** The provider refused the notification; retrying cannot change that. */
    public static class PermanentFailure extends Exception {
        public PermanentFailure(String reason) {
            super(reason);
        }
    }
}
