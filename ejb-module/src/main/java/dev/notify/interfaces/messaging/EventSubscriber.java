package dev.notify.interfaces.messaging;

import static dev.notify.domain.JsonApi.JSON;

import java.io.StringReader;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.ejb.MessageDrivenContext;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageListener;
import jakarta.json.JsonObject;

import dev.notify.application.RetryPolicy;
import dev.notify.domain.InvalidFieldsException;
import dev.notify.domain.MalformedJsonException;
import dev.notify.domain.PublishedEvent;
import dev.notify.domain.WireJson;
import dev.notify.infrastructure.messaging.DeadLetterForwarder;
import dev.notify.infrastructure.messaging.Failures;
import dev.notify.infrastructure.messaging.Messaging;
import dev.notify.infrastructure.monitoring.EventLog;
import dev.notify.infrastructure.monitoring.Metrics;
import dev.notify.infrastructure.persistence.DeliveryFailures;
import dev.notify.infrastructure.persistence.EventStore;
import dev.notify.infrastructure.transactions.SeparateTransaction;

/**
 * What every subscriber of the events topic does with a message, in its container-managed XA
 * transaction (the router) or in one of its own that the acknowledgement follows (the timeline): read the event (fetching a payload sent by reference), dead-letter at once what can
 * never be processed, let the subclass do its work exactly once per event id, and on failure keep
 * the reason and roll back for the broker's redelivery. The last attempt does its work in a
 * transaction of its own, so that its failure still lets this one move the message to its
 * dead-letter queue with the reason; its success commits the dedup row with the work, so a
 * redelivery after a failed acknowledgement does nothing.
 */
public abstract class EventSubscriber implements MessageListener {

    private static final Logger LOG = Logger.getLogger(EventSubscriber.class.getName());

    @Inject
    EventStore store;

    @Inject
    DeliveryFailures failures;

    @Inject
    DeadLetterForwarder deadLetters;

    @Inject
    RetryPolicy retries;

    @Inject
    SeparateTransaction separately;

    @Inject
    Metrics metrics;

    @Resource
    MessageDrivenContext context;

    /** The durable subscription this bean consumes, also its queue's name on the broker. */
    protected abstract String subscription();

    /** The subscriber's work, done once per event id; throwing rolls it back for a redelivery. */
    protected abstract void process(PublishedEvent event, int attempt);

    /** The event's last attempt failed and its message is dead-lettered, in this transaction. */
    protected void deadLettered(PublishedEvent event) {
    }

    @Override
    public void onMessage(Message message) {
        try (EventLog.Scope received = Messaging.logScope(message)) {
            metrics.timeConsumer(subscription(), () -> handle(message));
        }
    }

    private void handle(Message message) {
        PublishedEvent event;
        try {
            event = WireJson.read(textOf(message), PublishedEvent.class);
        } catch (MalformedJsonException e) {
            deadLetter(message, "malformed event: " + e.getMessage());
            return;
        } catch (InvalidFieldsException e) {
            deadLetter(message, "invalid event: " + e.getMessage());
            return;
        }
        try (EventLog.Scope traced = EventLog.scope(EventLog.TRACE_ID, event.traceId())) {
            handle(message, event);
        }
    }

    private void handle(Message message, PublishedEvent event) {
        int attempt = Failures.attempt(message);
        boolean lastAttempt = retries.isLast(attempt);
        // again even if done before: a history replay, or an operator sending a dead letter back
        boolean again = isReplay(message) || Messaging.isSentBack(message);
        try {
            if (lastAttempt) {
                separately.run(() -> claimAndProcess(event, attempt, again));
            } else {
                claimAndProcess(event, attempt, again);
            }
        } catch (RuntimeException e) {
            String reason = Failures.describe(e);
            failures.record(subscription(), event.eventId(), attempt, reason);
            if (lastAttempt) {
                deadLetter(message, "failed on all " + attempt + " attempts, the last with: " + reason);
                deadLettered(event);
                return;
            }
            // retryable: the broker redelivers after its back-off
            String retrying = "Event " + event.eventId() + " failed on attempt " + attempt + " of subscription " + subscription()
                    + ", will be retried: " + reason;
            EventLog.log(LOG, Level.WARNING, retrying);
            redeliver(retrying);
        }
    }

    /**
     * Has the message redelivered after the broker's back-off: the container's transaction, which
     * holds the message's acknowledgement, rolls back.
     */
    protected void redeliver(String reason) {
        context.setRollbackOnly();
    }

    /** Once per event id, or {@code again} (the subclass's work is idempotent). */
    private void claimAndProcess(PublishedEvent event, int attempt, boolean again) {
        if (store.claim(subscription(), event.eventId()) || again) {
            process(event, attempt);
        }
    }

    private static boolean isReplay(Message message) {
        try {
            return message.propertyExists(Messaging.REPLAY_JOB);
        } catch (JMSException e) {
            throw Messaging.unchecked(e);
        }
    }

    /** The event's JSON, with its payload put back when the message carries it by reference. */
    private String textOf(Message message) {
        try {
            String text = message.getBody(String.class);
            return message.propertyExists(Messaging.PAYLOAD_BY_REFERENCE)
                    && message.getBooleanProperty(Messaging.PAYLOAD_BY_REFERENCE) ? withStoredPayload(text) : text;
        } catch (MessageFormatException e) {
            throw new MalformedJsonException("not a text message but a " + message.getClass().getSimpleName()
                    + "; expected an event's JSON as text");
        } catch (JMSException e) {
            throw Messaging.unchecked(e);
        }
    }

    private String withStoredPayload(String text) {
        JsonObject event = WireJson.readObject(text);
        String eventId = event.getString("event_id", null);
        String payload = store.payload(String.valueOf(eventId)).orElseThrow(() -> new MalformedJsonException(
                "the payload is by reference, but no event " + eventId + " is stored"));
        return JSON.createObjectBuilder(event).add("payload", JSON.createReader(new StringReader(payload)).readValue())
                .build().toString();
    }

    /** Retrying cannot help (any more): to the dead-letter queue now, in this transaction. */
    private void deadLetter(Message message, String reason) {
        try {
            deadLetters.forward(message, Messaging.EVENTS_TOPIC, subscription(), reason);
        } catch (JMSException e) {
            throw Messaging.unchecked(e);
        }
    }
}
