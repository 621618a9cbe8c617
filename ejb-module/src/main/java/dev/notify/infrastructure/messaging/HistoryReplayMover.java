package dev.notify.infrastructure.messaging;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import jakarta.transaction.Transactional;

/**
 * Hands the events a history replay staged to one subscription, one per transaction: the staged
 * copy is consumed and a copy marked as a replay is sent to the subscription's own queue together.
 */
@ApplicationScoped
public class HistoryReplayMover {

    private static final long RECEIVE_TIMEOUT_MILLIS = 1000;

    public enum Outcome { MOVED, NOT_AN_EVENT, NONE_LEFT }

    @Inject
    @JMSConnectionFactory(Messaging.CONNECTION_FACTORY)
    JMSContext jms;

    @Transactional
    public Outcome moveNext(String subscription, UUID job) {
        try (JMSConsumer staged = jms.createConsumer(jms.createQueue(Messaging.REPLAY_STAGING))) {
            Message message = staged.receive(RECEIVE_TIMEOUT_MILLIS);
            if (message == null) {
                return Outcome.NONE_LEFT;
            }
            if (!(message instanceof TextMessage text)) {
                // the subscribers dead-lettered it the first time; consumed here, it is not replayed
                return Outcome.NOT_AN_EVENT;
            }
            TextMessage copy = jms.createTextMessage(text.getText());
            for (Map.Entry<String, Object> property : Messaging.copyableProperties(message).entrySet()) {
                copy.setObjectProperty(property.getKey(), property.getValue());
            }
            copy.setStringProperty(Messaging.REPLAY_JOB, job.toString());
            jms.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT)
                    .send(jms.createTopic(Messaging.subscriptionQueue(subscription)), copy);
            return Outcome.MOVED;
        } catch (JMSException e) {
            throw Messaging.unchecked(e);
        }
    }
}
