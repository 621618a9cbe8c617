package dev.notify.it;

import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** The test's broker, seen as a foreign producer sees it and as its operator does. */
final class Broker {

    static final String EVENTS_TOPIC = "notification.events";
    static final String ROUTER_QUEUE = "router";
    static final String ACTIVITY_QUEUE = "activity";
    static final String EVENTS_DEAD_LETTERS = "DLQ.notification.events";
    /** The queues of the application's message-driven beans. */
    static final List<String> CONSUMED_QUEUES =
            List.of(ROUTER_QUEUE, ACTIVITY_QUEUE, "notification.email", "notification.sms", "notification.push");

    private Broker() {
    }

    private static ActiveMQConnectionFactory connectionFactory() {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + System.getenv("NOTIFY_BROKER_PORT"),
                TestInfrastructure.USER, TestInfrastructure.PASSWORD);
    }

    /** Sends as any producer could, with no help from the service. */
    static void produce(Consumer<JMSContext> send) {
        try (ActiveMQConnectionFactory factory = connectionFactory();
             JMSContext jms = factory.createContext()) {
            send.accept(jms);
        }
    }

    /**
     * The first message on the events topic that matches the selector, seen by a subscription of
     * the test's own (it ends with the call) while the action publishes.
     */
    static Message observeEventsTopic(String selector, Runnable action) {
        try (ActiveMQConnectionFactory factory = connectionFactory();
             JMSContext jms = factory.createContext();
             JMSConsumer observer = jms.createConsumer(jms.createTopic(EVENTS_TOPIC), selector)) {
            action.run();
            Message message = observer.receive(30_000);
            if (message == null) {
                throw new AssertionError("nothing matching " + selector + " reached " + EVENTS_TOPIC);
            }
            return message;
        }
    }

    /** The messages of the events' dead-letter queue that match a selector, left in place. */
    static List<Message> deadLetters(String selector) {
        return deadLetters(EVENTS_DEAD_LETTERS, selector);
    }

    /** The messages of a dead-letter queue that match a selector, left in place. */
    static List<Message> deadLetters(String queue, String selector) {
        try (ActiveMQConnectionFactory factory = connectionFactory();
             JMSContext jms = factory.createContext();
             QueueBrowser browser = jms.createBrowser(jms.createQueue("DLA::" + queue), selector)) {
            return Collections.list(browser.getEnumeration()).stream().map(Message.class::cast).toList();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    static Queue queue(String name) {
        return TestInfrastructure.broker().getActiveMQServer().locateQueue(SimpleString.of(name));
    }

    /** The broker's id of the newest message a queue holds (its own id, not the JMS message id). */
    static long newestMessageId(String queueName) {
        long newest = -1;
        var messages = queue(queueName).browserIterator();
        while (messages.hasNext()) {
            newest = Math.max(newest, messages.next().getMessage().getMessageID());
        }
        messages.close();
        return newest;
    }

    /** Nothing waiting and nothing in flight. */
    static boolean drained(String queueName) {
        Queue queue = queue(queueName);
        return queue.getMessageCount() == 0 && queue.getDeliveringCount() == 0;
    }
}
