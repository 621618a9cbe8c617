package dev.notify.infrastructure.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Topic;
import jakarta.jms.TextMessage;
import jakarta.transaction.Transactional;

import dev.notify.infrastructure.persistence.Outbox;
import dev.notify.persistence.OutboxMessage;

/**
 * Sends the outbox's oldest messages to the events topic and removes them, in one XA
 * transaction: either both happen or neither. The broker's duplicate detection (the event id)
 * drops a message sent again after a failure between the two commits of the transaction.
 */
@ApplicationScoped
public class OutboxBatchPublisher {

    @Inject
    Outbox outbox;

    @Inject
    @JMSConnectionFactory(Messaging.CONNECTION_FACTORY)
    JMSContext jms;

    /** Sends up to {@code max} messages; how many it sent. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int publishNext(int max) {
        List<OutboxMessage> batch = outbox.oldest(max);
        if (batch.isEmpty()) {
            return 0;
        }
        Topic events = jms.createTopic(Messaging.EVENTS_TOPIC);
        for (OutboxMessage waiting : batch) {
            TextMessage message = jms.createTextMessage(waiting.getMessage());
            try {
                if (waiting.isPayloadByReference()) {
                    message.setBooleanProperty(Messaging.PAYLOAD_BY_REFERENCE, true);
                }
                message.setStringProperty(Messaging.DUPLICATE_ID, waiting.getEventId());
            } catch (JMSException e) {
                throw Messaging.unchecked(e);
            }
            Messaging.send(jms, events, message, waiting.getUserId(), waiting.getEventId(), waiting.getEventType());
        }
        outbox.remove(batch);
        return batch.size();
    }
}
