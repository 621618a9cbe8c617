package dev.notify.infrastructure.messaging;

import java.io.StringReader;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.MessageDrivenContext;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageListener;

import dev.notify.application.WireJson;
import dev.notify.application.EventRecorded;
import dev.notify.application.InvalidFieldsException;
import dev.notify.application.MalformedJsonException;
import dev.notify.domain.PublishedEvent;
import dev.notify.infrastructure.persistence.DeliveryFailures;
import dev.notify.infrastructure.persistence.EventStore;

/**
 * Consumes the events topic on the durable shared subscription {@code router}: every instance of
 * the bean (and of the application) competes for its messages, and one user's messages are
 * consumed in order (message groups). Container-managed XA: the dedup row, the event's record and
 * the acknowledgement commit together. The resource adapter this bean binds to is set per server
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
public class RouterBean implements MessageListener {

    private static final Logger LOG = Logger.getLogger(RouterBean.class.getName());

    @Inject
    EventStore store;

    @Inject
    DeliveryFailures failures;

    @Inject
    DeadLetterForwarder deadLetters;

    @Inject
    Event<EventRecorded> recorded;

    @Resource
    MessageDrivenContext context;

    @Override
    public void onMessage(Message message) {
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
        int attempt = attempt(message);
        try {
            if (store.claim(Messaging.ROUTER_SUBSCRIPTION, event.eventId())) {
                store.recordProcessed(event);
                recorded.fire(new EventRecorded(Messaging.ROUTER_SUBSCRIPTION, event, attempt));
            }
        } catch (RuntimeException e) {
            // retryable: keep the reason, then let the broker redeliver after its back-off
            String reason = describe(e);
            failures.record(Messaging.ROUTER_SUBSCRIPTION, event.eventId(), attempt, reason);
            LOG.warning(() -> "Event " + event.eventId() + " failed on attempt " + attempt + ", will be retried: " + reason);
            context.setRollbackOnly();
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
        return Json.createObjectBuilder(event).add("payload", Json.createReader(new StringReader(payload)).readValue())
                .build().toString();
    }

    /** Retrying cannot help: to the dead-letter queue now, in this transaction. */
    private void deadLetter(Message message, String reason) {
        try {
            deadLetters.forward(message, Messaging.EVENTS_TOPIC, Messaging.ROUTER_SUBSCRIPTION, reason);
        } catch (JMSException e) {
            throw Messaging.unchecked(e);
        }
        LOG.warning(() -> "Message dead-lettered without retries: " + reason);
    }

    private static int attempt(Message message) {
        try {
            return message.getIntProperty(Messaging.DELIVERY_COUNT);
        } catch (JMSException | NumberFormatException e) {
            return 1;
        }
    }

    private static String describe(Throwable e) {
        StringBuilder reason = new StringBuilder();
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (!reason.isEmpty()) {
                reason.append(" <- ");
            }
            reason.append(cause.getClass().getName());
            if (cause.getMessage() != null) {
                reason.append(": ").append(cause.getMessage());
            }
        }
        return reason.toString();
    }
}
