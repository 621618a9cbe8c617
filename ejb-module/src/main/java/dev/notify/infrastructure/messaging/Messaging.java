package dev.notify.infrastructure.messaging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.TextMessage;

import dev.notify.domain.PublishedEvent;
import dev.notify.infrastructure.monitoring.EventLog;

/**
 * Broker names and message properties, in one place. The broker side of these names (addresses,
 * queues, address settings) is declared in server-config's broker.xml.
 */
public final class Messaging {

    /**
     * The JNDI name of the XA connection factory of the Artemis resource adapter, bound by each
     * server's configuration (server-config).
     */
    public static final String CONNECTION_FACTORY = "jms/notifications";

    /** The multicast address every event is published to. */
    public static final String EVENTS_TOPIC = "notification.events";

    /** The durable shared subscription of the router; also the name of its queue on the broker. */
    public static final String ROUTER_SUBSCRIPTION = "router";

    /** The durable shared subscription of the per-user activity timeline. */
    public static final String ACTIVITY_SUBSCRIPTION = "activity";

    /** Where a history replay stages the retained events it found (see broker.xml). */
    public static final String REPLAY_STAGING = "notification.replay";

    /** A subscription's own queue, fully qualified: a message sent there reaches no other subscription. */
    static String subscriptionQueue(String subscription) {
        return EVENTS_TOPIC + "::" + subscription;
    }

    /** Where the broker moves what failed too often, and where we move what can never succeed. */
    public static final String DEAD_LETTER_ADDRESS = "DLA";

    /** The dead-letter queue of an address, as the broker names it (see broker.xml). */
    public static String deadLetterQueueOf(String address) {
        return "DLQ." + address;
    }

    /** The same, fully qualified: the only way a JMS client reaches a queue of another name than its address. */
    static String deadLetterQueue(String address) {
        return DEAD_LETTER_ADDRESS + "::" + deadLetterQueueOf(address);
    }

    /**
     * Artemis: a message with the same value on the same address is dropped as a duplicate (a
     * foreign producer's may carry it; the service's own messages do not, see OutboxBatchPublisher).
     */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    /** Artemis: the address and queue a dead letter came from; the DLQ filters on the address. */
    public static final String ORIGINAL_ADDRESS = "_AMQ_ORIG_ADDRESS";
    public static final String ORIGINAL_QUEUE = "_AMQ_ORIG_QUEUE";

    /** JMS message groups: one user's events are consumed in order, one at a time. */
    public static final String GROUP_ID = "JMSXGroupID";
    public static final String DELIVERY_COUNT = "JMSXDeliveryCount";

    /** Our own properties, readable in the broker's console and usable in filters. */
    public static final String EVENT_ID = "event_id";
    public static final String EVENT_TYPE = "event_type";
    public static final String NOTIFICATION_ID = "notification_id";
    /** On a notification put back on its queue for later: the attempts its earlier messages used. */
    public static final String ATTEMPTS_BEFORE = "attempts_before";
    /** On a notification put back on its queue for later: how often its provider asked for that. */
    public static final String DEFERRALS = "deferrals";
    /** The trace of the event a notification message is for (PublishedEvent.traceId), when it names one. */
    public static final String TRACE_ID = "trace_id";
    public static final String DEAD_LETTER_REASON = "dead_letter_reason";
    /** Set on an event a history replay sends again: its subscriber processes it even if it did before. */
    public static final String REPLAY_JOB = "replay_job";
    /** Claim check: the message holds no payload; the event's stored row has it. */
    public static final String PAYLOAD_BY_REFERENCE = "payload_by_reference";

    private Messaging() {
    }

    /**
     * Sends a persistent message about an event, in the user's message group and with the
     * properties every message of the product carries, in the caller's transaction.
     */
    static void send(JMSContext jms, Destination destination, TextMessage message, PublishedEvent event) {
        send(jms, destination, message, event.userId(), event.eventId(), event.eventType());
    }

    /** The same, for an event known by its keys. */
    static void send(JMSContext jms, Destination destination, TextMessage message, String userId, String eventId,
                     String eventType) {
        try {
            message.setStringProperty(GROUP_ID, userId);
            message.setStringProperty(EVENT_ID, eventId);
            message.setStringProperty(EVENT_TYPE, eventType);
        } catch (JMSException e) {
            throw unchecked(e);
        }
        jms.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT).send(destination, message);
    }

    /**
     * Whether the message came back from its dead-letter queue, sent back by an operator: it carries
     * the reason the service dead-lettered it with (DeadLetterForwarder). Only such a message may
     * work again on what was given up on; any other copy (a late one, the stalled-work sweep's) finds
     * the work done.
     */
    public static boolean isSentBack(Message message) {
        try {
            return message.propertyExists(DEAD_LETTER_REASON);
        } catch (JMSException e) {
            throw unchecked(e);
        }
    }

    /** The event log's fields for the handling of a received message: what its properties name. */
    public static EventLog.Scope logScope(Message message) {
        try {
            return EventLog.scope(EventLog.EVENT_ID, message.getStringProperty(EVENT_ID),
                    EventLog.USER_ID, message.getStringProperty(GROUP_ID),
                    EventLog.NOTIFICATION_ID, message.getStringProperty(NOTIFICATION_ID),
                    EventLog.TRACE_ID, message.getStringProperty(TRACE_ID));
        } catch (JMSException e) {
            throw unchecked(e);
        }
    }

    /**
     * The properties a copy of a message may carry. Provider-set ones (JMSX..., JMS_...) cannot be
     * set by a client; the group id can and is kept. The duplicate id is dropped, or the copy would
     * be rejected as a duplicate of its original.
     */
    static Map<String, Object> copyableProperties(Message message) throws JMSException {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Object name : Collections.list(message.getPropertyNames())) {
            String property = (String) name;
            if (property.equals(GROUP_ID)
                    || !property.startsWith("JMSX") && !property.startsWith("JMS_") && !property.equals(DUPLICATE_ID)) {
                properties.put(property, message.getObjectProperty(property));
            }
        }
        return properties;
    }

    /** The application's connection factory, for work outside the container's injected contexts. */
    public static ConnectionFactory connectionFactory() {
        try {
            return InitialContext.doLookup(CONNECTION_FACTORY);
        } catch (NamingException e) {
            throw new IllegalStateException("no connection factory bound at " + CONNECTION_FACTORY, e);
        }
    }

    /** The unchecked form of a JMS failure, as JMS 2's simplified API throws it. */
    public static JMSRuntimeException unchecked(JMSException e) {
        return new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
    }
}
