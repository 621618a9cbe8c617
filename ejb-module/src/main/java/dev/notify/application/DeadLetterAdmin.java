package dev.notify.application;

import static dev.notify.domain.JsonApi.JSON;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import dev.notify.domain.Channel;
import dev.notify.infrastructure.messaging.BrokerManagement;
import dev.notify.infrastructure.messaging.Messaging;
import dev.notify.infrastructure.persistence.DeliveryFailures;
import dev.notify.infrastructure.persistence.DeliveryFailures.Failure;

/**
 * What an operator does with destinations and dead letters, done by the broker's own management
 * operations: queue statistics, listing, retry to the original queue, removal. A dead letter is
 * named by its JMS message id without the {@code ID:} prefix; the broker finds it by that id
 * ({@code AMQUserID}) in filters. The message body is read with a JMS browser, which management
 * results do not carry.
 */
@ApplicationScoped
public class DeadLetterAdmin {

    /** The dead-letter queues of the product, one per address whose messages can fail. */
    public static final List<String> DEAD_LETTER_QUEUES = Stream.concat(Stream.of(Messaging.EVENTS_TOPIC),
            Stream.of(Channel.values()).map(Channel::queue)).map(Messaging::deadLetterQueueOf).toList();

    @Inject
    BrokerManagement broker;

    @Inject
    DeliveryFailures failures;

    /** A queue of the product with the broker's statistics; the oldest message's age only when it holds one. */
    public record Destination(String name, String address, String kind, long messages, long consumers,
                              long delivering, long added, long acknowledged, long killed, Long oldestMessageAgeMillis) {
    }

    /** What a dead letter's listing shows. */
    public record DeadLetter(String id, String eventId, String eventType, String userId, String notificationId,
                             String originalQueue, String reason, Instant timestamp) {
    }

    /** One dead letter in full: its JMS headers and properties, its body as sent, and why each attempt failed. */
    public record DeadLetterDetail(DeadLetter summary, Map<String, Object> headers, Map<String, Object> properties,
                                   String body, List<Failure> failures) {
    }

    /** Which dead letters an operation applies to; an empty selection is all of them. */
    public record Selection(String eventType, String userId, String originalQueue, Instant from, Instant to) {

        public static final Selection ALL = new Selection(null, null, null, null, null);

        /** The broker's filter expression for the selection. */
        String filter() {
            List<String> terms = new ArrayList<>();
            if (eventType != null) {
                terms.add(Messaging.EVENT_TYPE + " = " + quoted(eventType));
            }
            if (userId != null) {
                terms.add("AMQGroupID = " + quoted(userId));
            }
            if (originalQueue != null) {
                terms.add(Messaging.ORIGINAL_QUEUE + " = " + quoted(originalQueue));
            }
            if (from != null) {
                terms.add("AMQTimestamp >= " + from.toEpochMilli());
            }
            if (to != null) {
                terms.add("AMQTimestamp < " + to.toEpochMilli());
            }
            return String.join(" AND ", terms);
        }
    }

    public record Page<T>(List<T> items, int total) {
    }

    public List<Destination> destinations() {
        try (BrokerManagement.Conversation management = broker.open()) {
            return destinations(management);
        }
    }

    private static List<Destination> destinations(BrokerManagement.Conversation management) {
        JsonObject listing = read(management.invoke(BrokerManagement.BROKER, "listQueues", "", 1, -1));
        List<Destination> destinations = new ArrayList<>();
        for (JsonValue value : listing.getJsonArray("data")) {
            JsonObject queue = value.asJsonObject();
            if (Boolean.parseBoolean(queue.getString("temporary")) || Boolean.parseBoolean(queue.getString("internalQueue"))) {
                continue;
            }
            String name = queue.getString("name");
            long messages = Long.parseLong(queue.getString("messageCount"));
            JsonValue oldestAge = messages == 0 ? JsonValue.NULL
                    : management.attribute(BrokerManagement.queue(name), "firstMessageAge");
            destinations.add(new Destination(name, queue.getString("address"), kind(queue.getString("address")), messages,
                    Long.parseLong(queue.getString("consumerCount")), Long.parseLong(queue.getString("deliveringCount")),
                    Long.parseLong(queue.getString("messagesAdded")), Long.parseLong(queue.getString("messagesAcked")),
                    Long.parseLong(queue.getString("messagesKilled")),
                    oldestAge instanceof JsonNumber age ? age.longValue() : null));
        }
        destinations.sort((left, right) -> left.name().compareTo(right.name()));
        return destinations;
    }

    private static String kind(String address) {
        if (address.equals(Messaging.EVENTS_TOPIC)) {
            return "subscription";
        }
        if (address.equals(Messaging.DEAD_LETTER_ADDRESS)) {
            return "dead-letter";
        }
        // the history replay's staging queue (notification.replay) is no channel
        return Stream.of(Channel.values()).anyMatch(channel -> channel.queue().equals(address)) ? "channel" : "other";
    }

    /** A page of a dead-letter queue, oldest first; pages count from 1. */
    public Page<DeadLetter> list(String queue, Selection selection, int page, int size) {
        List<JsonObject> messages = messages(queue, selection.filter());
        int from = Math.min((page - 1) * size, messages.size());
        int to = Math.min(from + size, messages.size());
        return new Page<>(messages.subList(from, to).stream().map(DeadLetterAdmin::summary).toList(), messages.size());
    }

    public Optional<DeadLetterDetail> find(String queue, String id) {
        try (JMSContext jms = Messaging.connectionFactory().createContext(JMSContext.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = jms.createBrowser(jms.createQueue(Messaging.DEAD_LETTER_ADDRESS + "::" + queue),
                     "JMSMessageID = " + quoted("ID:" + id))) {
            List<?> found = Collections.list(browser.getEnumeration());
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Message message = (Message) found.get(0);
            Map<String, Object> properties = new LinkedHashMap<>();
            for (Object name : Collections.list(message.getPropertyNames())) {
                properties.put((String) name, message.getObjectProperty((String) name));
            }
            DeadLetter summary = new DeadLetter(id, (String) properties.get(Messaging.EVENT_ID),
                    (String) properties.get(Messaging.EVENT_TYPE), (String) properties.get(Messaging.GROUP_ID),
                    (String) properties.get(Messaging.NOTIFICATION_ID), (String) properties.get(Messaging.ORIGINAL_QUEUE),
                    (String) properties.get(Messaging.DEAD_LETTER_REASON), Instant.ofEpochMilli(message.getJMSTimestamp()));
            List<Failure> history = summary.eventId() == null || summary.originalQueue() == null ? List.of()
                    : failures.of(summary.originalQueue(), summary.eventId());
            return Optional.of(new DeadLetterDetail(summary, headers(message), properties, body(message), history));
        } catch (JMSException e) {
            throw Messaging.unchecked(e);
        }
    }

    /** Sends one dead letter back to the queue it died in, and only there; false when it is gone. */
    public boolean retry(String queue, String id) {
        try (BrokerManagement.Conversation management = broker.open()) {
            return messageIds(queue, byId(id)).stream().anyMatch(messageId -> retryByBrokerId(management, queue, messageId));
        }
    }

    /** The broker's own ids of the selected dead letters, oldest first: what a bulk retry works through. */
    public List<Long> messageIds(String queue, Selection selection) {
        return messageIds(queue, selection.filter());
    }

    /** One message back to its original queue, in a conversation a bulk retry keeps open; false when it is gone. */
    public static boolean retryByBrokerId(BrokerManagement.Conversation management, String queue, long messageId) {
        return management.invoke(BrokerManagement.queue(queue), "retryMessage", messageId).equals(JsonValue.TRUE);
    }

    /** Removes one dead letter; false when it is gone. */
    public boolean delete(String queue, String id) {
        return removeMessages(queue, byId(id)) > 0;
    }

    /** Removes the selected dead letters (all for {@link Selection#ALL}); their number. */
    public int delete(String queue, Selection selection) {
        return removeMessages(queue, selection.filter());
    }

    private int removeMessages(String queue, String filter) {
        return (int) number(broker.invoke(BrokerManagement.queue(queue), "removeMessages", filter));
    }

    private List<Long> messageIds(String queue, String filter) {
        return messages(queue, filter).stream().map(message -> message.getJsonNumber("messageID").longValue()).toList();
    }

    private List<JsonObject> messages(String queue, String filter) {
        JsonValue listing = broker.invoke(BrokerManagement.queue(queue), "listMessagesAsJSON", filter);
        return JSON.createReader(new StringReader(((JsonString) listing).getString())).readArray()
                .getValuesAs(JsonObject.class);
    }

    private static DeadLetter summary(JsonObject message) {
        return new DeadLetter(message.getString("userID", "").replaceFirst("^ID:", ""),
                message.getString(Messaging.EVENT_ID, null), message.getString(Messaging.EVENT_TYPE, null),
                message.getString("_AMQ_GROUP_ID", null), message.getString(Messaging.NOTIFICATION_ID, null),
                message.getString(Messaging.ORIGINAL_QUEUE, null), message.getString(Messaging.DEAD_LETTER_REASON, null),
                Instant.ofEpochMilli(message.getJsonNumber("timestamp").longValue()));
    }

    private static String byId(String id) {
        return "AMQUserID = " + quoted("ID:" + id);
    }

    private static Map<String, Object> headers(Message message) throws JMSException {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("JMSMessageID", message.getJMSMessageID());
        headers.put("JMSTimestamp", Instant.ofEpochMilli(message.getJMSTimestamp()).toString());
        headers.put("JMSDeliveryMode", message.getJMSDeliveryMode() == DeliveryMode.PERSISTENT ? "PERSISTENT" : "NON_PERSISTENT");
        headers.put("JMSPriority", message.getJMSPriority());
        headers.put("JMSExpiration", message.getJMSExpiration());
        if (message.getJMSCorrelationID() != null) {
            headers.put("JMSCorrelationID", message.getJMSCorrelationID());
        }
        if (message.getJMSType() != null) {
            headers.put("JMSType", message.getJMSType());
        }
        return headers;
    }

    private static String body(Message message) throws JMSException {
        return message.isBodyAssignableTo(String.class) ? message.getBody(String.class) : null;
    }

    private static JsonObject read(JsonValue json) {
        return JSON.createReader(new StringReader(((JsonString) json).getString())).readObject();
    }

    private static long number(JsonValue value) {
        return value instanceof JsonNumber number ? number.longValue() : Long.parseLong(((JsonString) value).getString());
    }

    /** A string literal of the broker's filter language. */
    private static String quoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
