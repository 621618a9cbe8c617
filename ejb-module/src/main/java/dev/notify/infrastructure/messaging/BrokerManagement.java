package dev.notify.infrastructure.messaging;

import static dev.notify.domain.JsonApi.JSON;

import java.io.StringReader;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * The broker's own management operations (Artemis {@code QueueControl}, {@code AddressControl},
 * {@code ActiveMQServerControl}), invoked with management messages over the application's
 * connection factory: a request to the management address, the reply on a temporary queue. This is
 * the protocol Artemis' {@code JMSManagementHelper} speaks; it is written out here because the
 * resource adapter's classes are not visible to the application on every server.
 * <p>
 * A request and its reply cannot share a transaction (the request would not leave before the
 * commit), so every call runs outside any. The broker checks each operation against the
 * application's role (management-message-rbac in broker.xml).
 */
@ApplicationScoped
@Transactional(TxType.NOT_SUPPORTED)
public class BrokerManagement {

    private static final String MANAGEMENT_ADDRESS = "activemq.management";
    private static final String RESOURCE_NAME = "_AMQ_ResourceName";
    private static final String OPERATION_NAME = "_AMQ_OperationName";
    private static final String ATTRIBUTE = "_AMQ_Attribute";
    private static final String OPERATION_SUCCEEDED = "_AMQ_OperationSucceeded";
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    /** The resource name of the broker itself, of a queue, of an address. */
    public static final String BROKER = "broker";

    public static String queue(String name) {
        return "queue." + name;
    }

    public static String address(String name) {
        return "address." + name;
    }

    /** Invokes an operation; returns its result (null for a void one). */
    public JsonValue invoke(String resource, String operation, Object... parameters) {
        try (Conversation conversation = open()) {
            return conversation.invoke(resource, operation, parameters);
        }
    }

    /** Reads an attribute, named as its getter without "get": {@code messageCount}. */
    public JsonValue attribute(String resource, String attribute) {
        try (Conversation conversation = open()) {
            return conversation.attribute(resource, attribute);
        }
    }

    /** One connection and reply queue for many requests, one after the other: for a job or a page. */
    public Conversation open() {
        return new Conversation(Messaging.connectionFactory().createContext(JMSContext.AUTO_ACKNOWLEDGE));
    }

    /** Requests to the broker's management on one connection; to be used outside transactions, by one thread. */
    public static final class Conversation implements AutoCloseable {

        private final JMSContext jms;
        private final TemporaryQueue replies;
        private final JMSConsumer consumer;

        private Conversation(JMSContext jms) {
            this.jms = jms;
            try {
                this.replies = jms.createTemporaryQueue();
                this.consumer = jms.createConsumer(replies);
            } catch (RuntimeException e) {
                jms.close();
                throw e;
            }
        }

        public JsonValue invoke(String resource, String operation, Object... parameters) {
            JsonArrayBuilder arguments = JSON.createArrayBuilder();
            for (Object parameter : parameters) {
                if (parameter == null) {
                    arguments.addNull();
                } else if (parameter instanceof String text) {
                    arguments.add(text);
                } else if (parameter instanceof Long number) {
                    arguments.add(number);
                } else if (parameter instanceof Integer number) {
                    arguments.add(number);
                } else if (parameter instanceof Boolean flag) {
                    arguments.add(flag);
                } else {
                    throw new IllegalArgumentException("no management parameter of type " + parameter.getClass());
                }
            }
            return request(resource, OPERATION_NAME, operation, arguments.build().toString());
        }

        public JsonValue attribute(String resource, String attribute) {
            return request(resource, ATTRIBUTE, attribute, null);
        }

        private JsonValue request(String resource, String kind, String name, String arguments) {
            try {
                TextMessage request = jms.createTextMessage(arguments);
                request.setStringProperty(RESOURCE_NAME, resource);
                request.setStringProperty(kind, name);
                request.setJMSReplyTo(replies);
                jms.createProducer().send(jms.createQueue(MANAGEMENT_ADDRESS), request);
                Message reply = consumer.receive(REPLY_TIMEOUT.toMillis());
                if (reply == null) {
                    throw new BrokerOperationFailed(resource + " " + name + ": no reply from the broker within " + REPLY_TIMEOUT);
                }
                String body = reply.getBody(String.class);
                JsonValue result = body == null ? JsonValue.NULL : firstOf(body);
                if (!reply.getBooleanProperty(OPERATION_SUCCEEDED)) {
                    throw new BrokerOperationFailed(resource + " " + name + ": " + result);
                }
                return result;
            } catch (JMSException e) {
                throw Messaging.unchecked(e);
            }
        }

        @Override
        public void close() {
            try {
                consumer.close();
                replies.delete();
            } catch (JMSException e) {
                throw Messaging.unchecked(e);
            } finally {
                jms.close();
            }
        }
    }

    /** A result is sent as a JSON array holding it. */
    private static JsonValue firstOf(String body) {
        JsonArray array = JSON.createReader(new StringReader(body)).readArray();
        return array.isEmpty() ? JsonValue.NULL : array.get(0);
    }

    /** The broker refused or failed an operation; the message says which and why. */
    public static class BrokerOperationFailed extends RuntimeException {
        public BrokerOperationFailed(String message) {
            super(message);
        }
    }
}
