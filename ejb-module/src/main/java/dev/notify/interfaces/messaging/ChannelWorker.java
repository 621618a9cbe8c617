package dev.notify.interfaces.messaging;

import java.util.Optional;
import java.util.UUID;

import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

import dev.notify.application.NotificationDelivery;
import dev.notify.application.NotificationDelivery.Outcome;
import dev.notify.application.NotificationDelivery.Received;
import dev.notify.domain.Channel;
import dev.notify.infrastructure.channels.ChannelSender;
import dev.notify.infrastructure.messaging.DeadLetterForwarder;
import dev.notify.infrastructure.messaging.Failures;
import dev.notify.infrastructure.messaging.Messaging;
import dev.notify.infrastructure.messaging.NotificationDispatcher;
import dev.notify.infrastructure.messaging.RedeliveryRequested;
import dev.notify.infrastructure.monitoring.EventLog;
import dev.notify.infrastructure.monitoring.Metrics;
import dev.notify.infrastructure.transactions.SeparateTransaction;

/**
 * A channel's worker: takes a notification's message from the channel's queue and has it
 * delivered (NotificationDelivery) in a transaction of its own, which usually holds only the
 * database and commits in one phase. The resource adapter acknowledges the message after that
 * commit ({@code useLocalTx}, with no container transaction): a redelivery after a lost
 * acknowledgement finds the notification settled and does nothing, which is the effect XA gave,
 * without its two-phase commit per notification. The worker then acknowledges the message, has it
 * redelivered after the broker's back-off, moves it to its dead-letter queue, or puts it back on
 * its queue for later, as the delivery says; what it sends (the move, the later copy, the release
 * of the user's next held notification) joins the transaction as a second branch. A message that
 * is not a notification goes to the dead-letter queue at once.
 */
public abstract class ChannelWorker implements MessageListener {

    @Inject
    NotificationDelivery delivery;

    @Inject
    DeadLetterForwarder deadLetters;

    @Inject
    NotificationDispatcher dispatcher;

    @Inject
    Metrics metrics;

    @Inject
    SeparateTransaction ownTransaction;

    protected abstract Channel channel();

    /** The channel's provider, as this bean instance holds it. */
    protected abstract ChannelSender sender();

    @Override
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void onMessage(Message message) {
        try (EventLog.Scope received = Messaging.logScope(message);
             EventLog.Scope channel = EventLog.scope(EventLog.CHANNEL, channel().wireName())) {
            metrics.timeConsumer(channel().wireName(), () -> ownTransaction.run(() -> handle(message)));
        }
    }

    private void handle(Message message) {
        Optional<UUID> notificationId = notificationId(message);
        if (notificationId.isEmpty()) {
            deadLetter(message, "no valid " + Messaging.NOTIFICATION_ID + " property: not a notification message");
            return;
        }
        Received received = new Received(notificationId.get(), eventId(message), Failures.attempt(message),
                Failures.deferrals(message), Messaging.isSentBack(message));
        Outcome outcome = delivery.deliver(channel(), received, sender());
        if (outcome instanceof Outcome.Retry retry) {
            throw new RedeliveryRequested(channel().wireName() + " notification " + notificationId.get() + ", attempt "
                    + received.attempt() + ": " + retry.reason());
        } else if (outcome instanceof Outcome.DeadLetter deadLetter) {
            deadLetter(message, deadLetter.reason());
        } else if (outcome instanceof Outcome.Later later) {
            dispatcher.later(message, later.delay(), later.attemptsUsed(), later.deferrals());
        }
    }

    private static Optional<UUID> notificationId(Message message) {
        try {
            return Optional.ofNullable(message.getStringProperty(Messaging.NOTIFICATION_ID)).map(UUID::fromString);
        } catch (JMSException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String eventId(Message message) {
        try {
            return message.getStringProperty(Messaging.EVENT_ID);
        } catch (JMSException e) {
            return null;
        }
    }

    private void deadLetter(Message message, String reason) {
        try {
            deadLetters.forward(message, channel().queue(), channel().queue(), reason);
        } catch (JMSException e) {
            throw Messaging.unchecked(e);
        }
    }
}
