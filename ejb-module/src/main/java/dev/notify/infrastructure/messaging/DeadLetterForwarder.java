package dev.notify.infrastructure.messaging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;

/**
 * Moves a message to its dead-letter queue: one that can never be processed (unreadable, invalid)
 * at once, instead of letting the broker retry it to exhaustion, and one that failed its last
 * attempt: the queue {@code DLQ.<address>} on
 * the dead-letter address, where the broker puts its own dead letters, with the same origin
 * properties plus the reason, and logged as a warning. It is sent in the consumer's transaction: the copy exists if and
 * only if the original is acknowledged, so nothing is dropped. Should that queue be missing, the
 * send fails, the delivery rolls back and the broker dead-letters the message after its retries.
 */
@ApplicationScoped
public class DeadLetterForwarder {

    private static final Logger LOG = Logger.getLogger(DeadLetterForwarder.class.getName());

    @Inject
    @JMSConnectionFactory(Messaging.CONNECTION_FACTORY)
    JMSContext jms;

    public void forward(Message message, String originalAddress, String originalQueue, String reason)
            throws JMSException {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Object name : Collections.list(message.getPropertyNames())) {
            String property = (String) name;
            if (isCopyable(property)) {
                properties.put(property, message.getObjectProperty(property));
            }
        }
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
        LOG.warning(() -> "Dead-lettered " + (eventId == null ? "a message without event id" : "event " + eventId)
                + " from " + originalQueue + ": " + reason);
    }

    /**
     * Provider-set properties (JMSX..., JMS_...) cannot be set by a client; the group id can and is
     * kept. The duplicate id is dropped, or a later replay to the original address would be
     * rejected as a duplicate.
     */
    private static boolean isCopyable(String property) {
        if (property.equals(Messaging.GROUP_ID)) {
            return true;
        }
        return !property.startsWith("JMSX") && !property.startsWith("JMS_")
                && !property.equals(Messaging.DUPLICATE_ID);
    }
}
