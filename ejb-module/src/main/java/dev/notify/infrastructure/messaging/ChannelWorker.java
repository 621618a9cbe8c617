package dev.notify.infrastructure.messaging;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.ejb.MessageDrivenContext;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

import dev.notify.domain.Channel;
import dev.notify.infrastructure.persistence.DeliveryFailures;
import dev.notify.infrastructure.persistence.NotificationStore;
import dev.notify.infrastructure.persistence.NotificationStore.Delivery;

/**
 * What every channel's worker does with a notification, in its container-managed XA transaction:
 * skip it when it is no longer pending (sent already: the side effect is at-least-once, this keeps
 * it from repeating on a redelivery), send it, and mark it sent with the acknowledgement. A
 * permanent refusal marks it failed; anything else is retried by the broker with back-off, and the
 * last attempt moves it to its dead-letter queue with the reason. A message that is not a
 * notification goes there at once. Every failed attempt's reason is kept.
 * <p>
 * A user's notifications on a channel go out in the order of their events, also across retries:
 * one that an earlier one holds back is acknowledged as {@code held}, and each notification that
 * settles (sent, refused, dead-lettered) releases the user's next held one. After a dead-lettered
 * one, the next ones get one attempt each while the channel keeps failing for the user, so that
 * one user's outage does not hold their queue for attempts times back-off per message.
 */
public abstract class ChannelWorker implements MessageListener {

    private static final Logger LOG = Logger.getLogger(ChannelWorker.class.getName());

    /** Worth retrying: not yet sent, or sent back from its dead-letter queue by an operator. */
    private static final Set<String> SENDABLE = Set.of("pending", "dead-lettered");

    @Inject
    NotificationStore notifications;

    @Inject
    DeliveryFailures failures;

    @Inject
    RetryPolicy retries;

    @Inject
    DeadLetterForwarder deadLetters;

    @Inject
    NotificationDispatcher dispatcher;

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
        Optional<UUID> notificationId = notificationId(message);
        if (notificationId.isEmpty()) {
            deadLetter(message, "no valid " + Messaging.NOTIFICATION_ID + " property: not a notification message");
            return;
        }
        Optional<Delivery> notification = notifications.forDelivery(notificationId.get());
        if (notification.isEmpty()) {
            deadLetter(message, "no notification " + notificationId.get() + " is stored");
            return;
        }
        Delivery delivery = notification.get();
        if (!SENDABLE.contains(delivery.status())) {
            return;
        }
        if (delivery.isHeldBack()) {
            // acknowledged: the notification that holds it back releases it when it settles
            notifications.hold(notificationId.get());
            LOG.fine(() -> channel().wireName() + " notification " + notificationId.get() + " held, waiting for "
                    + delivery.waitingFor());
            return;
        }
        int attempt = Failures.attempt(message);
        String eventId = delivery.eventId();
        try {
            send(delivery);
        } catch (PermanentFailure e) {
            failures.record(channel().queue(), eventId, attempt, e.getMessage());
            notifications.markFailed(notificationId.get(), attempt, e.getMessage());
            LOG.warning(() -> channel().wireName() + " notification " + notificationId.get() + " refused: " + e.getMessage());
            releaseNext(delivery);
            return;
        } catch (RuntimeException e) {
            String reason = Failures.describe(e);
            Optional<UUID> failingBefore = notifications.deadLetteredBefore(delivery, channel());
            boolean lastAttempt = retries.isLast(attempt) || failingBefore.isPresent();
            failures.record(channel().queue(), eventId, attempt, reason);
            notifications.recordFailedAttempt(notificationId.get(), attempt, reason, lastAttempt);
            if (lastAttempt) {
                // nothing else was written in this transaction: it may commit the move
                deadLetter(message, failingBefore.isPresent()
                        ? "failed on attempt " + attempt + " while the channel fails for this user (their " + channel().wireName()
                                + " notification " + failingBefore.get() + " before it was dead-lettered), with: " + reason
                        : "failed on all " + attempt + " attempts, the last with: " + reason);
                releaseNext(delivery);
                return;
            }
            LOG.warning(() -> channel().wireName() + " notification " + notificationId.get() + " failed on attempt "
                    + attempt + ", will be retried: " + reason);
            context.setRollbackOnly();
            return;
        }
        notifications.markSent(notificationId.get(), attempt);
        releaseNext(delivery);
    }

    /** This one is settled: the user's next held notification on the channel may go. */
    private void releaseNext(Delivery settled) {
        notifications.releaseNext(settled.userId(), channel()).ifPresent(dispatcher::dispatch);
    }

    private static Optional<UUID> notificationId(Message message) {
        try {
            return Optional.ofNullable(message.getStringProperty(Messaging.NOTIFICATION_ID)).map(UUID::fromString);
        } catch (JMSException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void deadLetter(Message message, String reason) {
        try {
            deadLetters.forward(message, channel().queue(), channel().queue(), reason);
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
