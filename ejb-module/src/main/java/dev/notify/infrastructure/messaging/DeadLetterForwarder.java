package dev.notify.infrastructure.messaging;

import java.time.Instant;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;

import dev.notify.infrastructure.monitoring.EventLog;

/**
 * Moves a message to its dead-letter queue: one that can never be processed (unreadable, invalid)
 * at once, instead of letting the broker retry it to exhaustion, and one that failed its last
 * attempt: the queue {@code DLQ.<address>} on
 * the dead-letter address, where the broker puts its own dead letters, with the same origin
 * properties plus the reason, logged as a warning and announced as a {@link DeadLettered} event.
 * It is sent in the consumer's transaction, so nothing is dropped: the router's acknowledges the
 * original with it (XA); a channel worker's and the timeline's commit before the acknowledgement,
 * and a lost acknowledgement redelivers the original, which finds its work settled (at the
 * broker's limit the broker moves it too: a second copy, which a retry finds settled). Should that
 * queue be missing, the send fails, the delivery rolls back and the broker dead-letters the message
 * after its retries.
 */
@ApplicationScoped
public class DeadLetterForwarder {

    private static final Logger LOG = Logger.getLogger(DeadLetterForwarder.class.getName());

    @Inject
    @JMSConnectionFactory(Messaging.CONNECTION_FACTORY)
    JMSContext jms;

    @Inject
    Event<DeadLettered> deadLettered;

    public void forward(Message message, String originalAddress, String originalQueue, String reason)
            throws JMSException {
        Map<String, Object> properties = Messaging.copyableProperties(message);
        // a received message's properties are read-only until cleared; the body is kept as it is
        message.clearProperties();
        for (Map.Entry<String, Object> property : properties.entrySet()) {
            message.setObjectProperty(property.getKey(), property.getValue());
        }
        message.setStringProperty(Messaging.ORIGINAL_ADDRESS, originalAddress);
        message.setStringProperty(Messaging.ORIGINAL_QUEUE, originalQueue);
        message.setStringProperty(Messaging.DEAD_LETTER_REASON, reason);
        jms.createProducer().send(jms.createQueue(Messaging.deadLetterQueue(originalAddress)), message);
        String eventId = message.getStringProperty(Messaging.EVENT_ID);
        deadLettered.fire(new DeadLettered(Messaging.deadLetterQueueOf(originalAddress), originalQueue, eventId, reason,
                Instant.now()));
        EventLog.log(LOG, Level.WARNING, "Dead-lettered " + (eventId == null ? "a message without event id" : "event " + eventId)
                + " from " + originalQueue + ": " + reason);
    }
}
