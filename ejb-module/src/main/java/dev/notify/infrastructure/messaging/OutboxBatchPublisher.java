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
 * transaction: either both happen or neither, unless a crash splits the two commits. A batch whose
 * send was committed but whose removal was not is sent again; the consumers' dedup
 * (processed_event) skips the copies. The messages carry no broker duplicate id: in a transaction,
 * one duplicate makes Artemis refuse the whole transaction, so such a batch was refused at every
 * try and held every later event in the outbox (found after a host shutdown).
 */
@ApplicationScoped
public class OutboxBatchPublisher {

    @Inject
    Outbox outbox;

    @Inject
    @JMSConnectionFactory(Messaging.CONNECTION_FACTORY)
    JMSContext jms;

    /**
     * Sends up to {@code max} messages; whether more may be waiting for another batch now (none
     * when this one found nothing it could send: the sweep tries again).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean publishNext(int max) {
        Outbox.Batch oldest = outbox.oldest(max);
        List<OutboxMessage> batch = oldest.messages();
        if (batch.isEmpty()) {
            return false;
        }
        Topic events = jms.createTopic(Messaging.EVENTS_TOPIC);
        for (OutboxMessage waiting : batch) {
            TextMessage message = jms.createTextMessage(waiting.getMessage());
            if (waiting.isPayloadByReference()) {
                try {
                    message.setBooleanProperty(Messaging.PAYLOAD_BY_REFERENCE, true);
                } catch (JMSException e) {
                    throw Messaging.unchecked(e);
                }
            }
            Messaging.send(jms, events, message, waiting.getUserId(), waiting.getEventId(), waiting.getEventType());
        }
        outbox.remove(batch);
        return oldest.moreWaiting();
    }
}
