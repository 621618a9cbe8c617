package dev.notify.application;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import dev.notify.domain.Channel;
import dev.notify.infrastructure.channels.ChannelSender;
import dev.notify.infrastructure.channels.PermanentFailure;
import dev.notify.infrastructure.channels.TemporaryFailure;
import dev.notify.infrastructure.messaging.Failures;
import dev.notify.infrastructure.messaging.NotificationDispatcher;
import dev.notify.infrastructure.monitoring.EventLog;
import dev.notify.infrastructure.monitoring.Metrics;
import dev.notify.infrastructure.monitoring.Metrics.NotificationSettled;
import dev.notify.infrastructure.persistence.DeliveryFailures;
import dev.notify.infrastructure.persistence.EventStore;
import dev.notify.infrastructure.persistence.NotificationStore;
import dev.notify.infrastructure.persistence.NotificationStore.Delivery;
import dev.notify.persistence.EventStatus;
import dev.notify.persistence.NotificationStatus;

/**
 * Delivers one notification on its channel, in the caller's transaction (the channel worker's,
 * whose message is acknowledged after it commits): skip it when it is no longer pending (sent
 * already: the side effect is at-least-once, this keeps it from repeating on a redelivery), send
 * it, and mark it sent.
 * A permanent refusal marks it failed; anything else is retried by the broker with back-off, and
 * the last attempt is dead-lettered with the reason. Every failed attempt's reason is kept.
 * <p>
 * A user's notifications on a channel go out in the order of their events, also across retries:
 * one that an earlier one holds back is acknowledged as {@code held}, and each notification that
 * settles (sent, refused, dead-lettered) releases the user's next held one. After a dead-lettered
 * one, the next ones get one attempt each while the channel keeps failing for the user (for
 * RetryPolicy.channelFailingFor), so that one user's outage does not hold their queue for attempts
 * times back-off per message. A provider that asks to be called later (Retry-After) is, without
 * using an attempt (RetryPolicy.deferral).
 */
@ApplicationScoped
public class NotificationDelivery {

    private static final Logger LOG = Logger.getLogger(NotificationDelivery.class.getName());

    /** What the worker does with the message once the delivery is done with it. */
    public sealed interface Outcome {
        /** Acknowledge it: sent, refused, held, or nothing left to do. */
        record Done() implements Outcome {
        }

        /** Roll back for the broker's redelivery after its back-off, for the reason given. */
        record Retry(String reason) implements Outcome {
        }

        /** Move it to the channel's dead-letter queue with the reason, in this transaction. */
        record DeadLetter(String reason) implements Outcome {
        }

        /**
         * Acknowledge it and put it on its queue again, due after {@code delay}, in this
         * transaction: its provider asked to be called later. The attempts used so far go with it.
         */
        record Later(Duration delay, int attemptsUsed, int deferrals) implements Outcome {
        }
    }

    /** What a notification's message says: its notification, its event, its attempt, and how it came. */
    public record Received(UUID notificationId, String eventId, int attempt, int deferrals, boolean sentBack) {
    }

    @Inject
    NotificationStore notifications;

    @Inject
    EventStore events;

    @Inject
    DeliveryFailures failures;

    @Inject
    RetryPolicy retries;

    @Inject
    NotificationDispatcher dispatcher;

    @Inject
    Metrics metrics;

    @Inject
    Event<NotificationSettled> settlements;

    /**
     * {@code message.deferrals()}: how often the notification's provider, or its router's commit, has
     * made it wait so far; {@code message.sentBack()}: the message came back from the dead-letter
     * queue, sent by an operator.
     */
    public Outcome deliver(Channel channel, Received message, ChannelSender sender) {
        UUID notificationId = message.notificationId();
        int attempt = message.attempt();
        Optional<Delivery> notification = notifications.forDelivery(notificationId);
        if (notification.isEmpty()) {
            return notStored(message);
        }
        Delivery delivery = notification.get();
        if (delivery.status() == NotificationStatus.HELD && !retries.isLast(attempt)) {
            // a message for a held notification comes from its release, whose database branch has
            // not committed yet (the same order of commits): acknowledged now, it would be lost
            return new Outcome.Retry("still held: its release has not committed in the database yet");
        }
        if (!delivery.status().isSendableBy(message.sentBack())) {
            return new Outcome.Done();
        }
        if (delivery.isHeldBack()) {
            // acknowledged: the notification that holds it back releases it when it settles
            notifications.hold(notificationId);
            LOG.fine(() -> channel.wireName() + " notification " + notificationId + " held, waiting for " + delivery.waitingFor());
            return new Outcome.Done();
        }
        String eventId = delivery.eventId();
        long calling = System.nanoTime();
        try {
            sender.send(delivery);
            metrics.providerCall(channel, "sent", Duration.ofNanos(System.nanoTime() - calling));
        } catch (PermanentFailure e) {
            metrics.providerCall(channel, "refused", Duration.ofNanos(System.nanoTime() - calling));
            settlements.fire(new NotificationSettled(channel, NotificationStatus.FAILED, eventId));
            failures.record(channel.queue(), eventId, attempt, e.getMessage());
            notifications.markFailed(notificationId, attempt, e.getMessage());
            EventLog.log(LOG, Level.WARNING, channel.wireName() + " notification " + notificationId + " refused: " + e.getMessage());
            releaseNext(delivery, channel);
            return new Outcome.Done();
        } catch (RuntimeException e) {
            metrics.providerCall(channel, "failed", Duration.ofNanos(System.nanoTime() - calling));
            String reason = Failures.describe(e);
            Optional<Duration> deferral = e instanceof TemporaryFailure temporary
                    ? retries.deferral(message.deferrals(), temporary.retryAfter()) : Optional.empty();
            if (deferral.isPresent()) {
                notifications.markDeferred(notificationId, deferral.get(), reason);
                EventLog.log(LOG, Level.WARNING, channel.wireName() + " notification " + notificationId + " deferred for "
                        + deferral.get() + " as its provider asked, attempt " + attempt + " not counted: " + reason);
                return new Outcome.Later(deferral.get(), attempt - 1, message.deferrals() + 1);
            }
            Optional<UUID> failingBefore = notifications.deadLetteredBefore(delivery, channel, retries.channelFailingSince());
            boolean lastAttempt = retries.isLast(attempt) || failingBefore.isPresent();
            failures.record(channel.queue(), eventId, attempt, reason);
            if (lastAttempt) {
                notifications.markDeadLettered(notificationId, attempt, reason);
                settlements.fire(new NotificationSettled(channel, NotificationStatus.DEAD_LETTERED, eventId));
                releaseNext(delivery, channel);
                // the status, the release and the move commit together
                return new Outcome.DeadLetter(failingBefore.isPresent()
                        ? "failed on attempt " + attempt + " while the channel fails for this user (their " + channel.wireName()
                                + " notification " + failingBefore.get() + " before it was dead-lettered), with: " + reason
                        : "failed on all " + attempt + " attempts, the last with: " + reason);
            }
            notifications.recordFailedAttempt(notificationId, attempt, reason);
            EventLog.log(LOG, Level.WARNING, channel.wireName() + " notification " + notificationId + " failed on attempt "
                    + attempt + ", will be retried: " + reason);
            return new Outcome.Retry("failed, will be retried: " + reason);
        }
        notifications.markSent(notificationId, attempt);
        settlements.fire(new NotificationSettled(channel, NotificationStatus.SENT, eventId));
        EventLog.log(LOG, Level.INFO, channel.wireName() + " notification " + notificationId + " sent on attempt " + attempt);
        releaseNext(delivery, channel);
        return new Outcome.Done();
    }

    /**
     * No row for the message. XA may commit the broker's branch of the router's transaction before
     * the database's: the message can arrive before its row is visible, which a redelivery then
     * finds. A database that went away between the two commits keeps its branch in doubt until
     * the transaction manager's recovery commits it, a minute or more later: while the event is
     * still unrouted in the database, the last attempt waits for it (as a deferral, without using
     * an attempt). With the event routed without it, or given up on, the message is not ours.
     */
    private Outcome notStored(Received message) {
        if (!retries.isLast(message.attempt())) {
            return new Outcome.Retry("not stored yet: its router's database branch has not committed");
        }
        boolean routingInDoubt = message.eventId() != null && events.find(message.eventId())
                .filter(event -> event.getStatus() == EventStatus.ACCEPTED).isPresent();
        Optional<Duration> wait = routingInDoubt
                ? retries.deferral(message.deferrals(), Optional.of(RetryPolicy.ROUTING_IN_DOUBT_WAIT)) : Optional.empty();
        if (wait.isPresent()) {
            EventLog.log(LOG, Level.WARNING, "notification " + message.notificationId() + " is not stored yet, while its event "
                    + message.eventId() + " is not routed in the database: waiting " + wait.get() + " for the router's commit");
            return new Outcome.Later(wait.get(), message.attempt() - 1, message.deferrals() + 1);
        }
        return new Outcome.DeadLetter("no notification " + message.notificationId() + " is stored (looked for on "
                + message.attempt() + " attempts" + (routingInDoubt ? ", and " + message.deferrals() + " times while its event was not routed" : "")
                + ")");
    }

    /** This one is settled: the user's next held notification on the channel may go. */
    private void releaseNext(Delivery settled, Channel channel) {
        notifications.releaseNext(settled.userId(), channel).ifPresent(dispatcher::dispatch);
    }
}
