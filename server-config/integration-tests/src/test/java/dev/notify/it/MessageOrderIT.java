package dev.notify.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * What the broker (Artemis 2.40 with the product's address settings: 1 s redelivery delay for
 * notification.#) does with a message of a user's group that is rolled back. Observed: it comes
 * back after its delay, sometimes before the group's later messages and sometimes after them, so
 * the broker alone keeps per-user order for first deliveries only, and the product's resequencer
 * (README, "Order") keeps it across retries. This test
 * asserts what does hold: the delay, and that nothing is lost or repeated.
 */
class MessageOrderIT {

    @Test
    void rolledBackMessageComesBackAfterItsDelayAndNothingIsLost() throws Exception {
        String address = "notification.it-order-" + System.nanoTime();
        TestInfrastructure.broker().getActiveMQServer().createQueue(QueueConfiguration.of(address)
                .setRoutingType(RoutingType.ANYCAST).setDurable(false).setAutoCreateAddress(true));
        List<String> received = new ArrayList<>();
        List<Long> millisAfterRollback = new ArrayList<>();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                     "tcp://127.0.0.1:" + System.getenv("NOTIFY_BROKER_PORT"), TestInfrastructure.USER, TestInfrastructure.PASSWORD);
             JMSContext jms = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
            Queue queue = jms.createQueue(address);
            JMSProducer producer = jms.createProducer();
            producer.setProperty("JMSXGroupID", "user-1").send(queue, "user-1 first").send(queue, "user-1 second");
            producer.setProperty("JMSXGroupID", "user-2").send(queue, "user-2 first");
            jms.commit();

            try (JMSConsumer consumer = jms.createConsumer(queue)) {
                assertEquals("user-1 first", ((TextMessage) consumer.receive(5000)).getText());
                jms.rollback();
                long rolledBackAt = System.nanoTime();
                for (int i = 0; i < 3; i++) {
                    received.add(((TextMessage) consumer.receive(5000)).getText());
                    millisAfterRollback.add((System.nanoTime() - rolledBackAt) / 1_000_000);
                    jms.commit();
                }
            }
        }

        assertEquals(List.of("user-1 first", "user-1 second", "user-2 first"), received.stream().sorted().toList(),
                "every message once");
        long redeliveredAfter = millisAfterRollback.get(received.indexOf("user-1 first"));
        assertTrue(redeliveredAfter >= 900, "redelivered after " + redeliveredAfter + " ms, before its 1 s delay");
        System.out.println("Order after a rollback: " + received + ", ms after the rollback: " + millisAfterRollback);
    }
}
