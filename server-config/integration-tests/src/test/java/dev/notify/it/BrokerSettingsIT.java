package dev.notify.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;

import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * The product's broker.xml as the broker applied it: a typo in an address-setting match leaves
 * the broker's defaults (10 attempts, no delay) without a word, and one in a security setting
 * gives the application more than it needs.
 */
class BrokerSettingsIT {

    @Test
    void eventAddressesGetTheProductsRetryAndDeadLetterSettings() {
        AddressSettings settings = TestInfrastructure.broker().getActiveMQServer()
                .getAddressSettingsRepository().getMatch(Broker.EVENTS_TOPIC);

        assertEquals(1000, settings.getRedeliveryDelay());
        assertEquals(2.0, settings.getRedeliveryMultiplier());
        assertEquals(60000, settings.getMaxRedeliveryDelay());
        assertEquals(5, settings.getMaxDeliveryAttempts());
        assertEquals("DLA", settings.getDeadLetterAddress().toString());
        assertTrue(settings.isAutoCreateDeadLetterResources());
        assertEquals("DLQ.", settings.getDeadLetterQueuePrefix().toString());
        assertEquals("ExpiryQueue", settings.getExpiryAddress().toString());
    }

    @Test
    void brokerRequiresALogin() {
        assertTrue(TestInfrastructure.broker().getActiveMQServer().getConfiguration().isSecurityEnabled());
        try (ActiveMQConnectionFactory anonymous = new ActiveMQConnectionFactory(
                "tcp://127.0.0.1:" + System.getenv("NOTIFY_BROKER_PORT"))) {
            assertThrows(JMSSecurityRuntimeException.class, () -> anonymous.createContext().close());
        }
    }

    @Test
    void applicationMayManageTheDeadLetterQueuesOnly() throws Exception {
        assertTrue(managementAsApplication("queue.DLQ.notification.email", "countMessages"));
        assertTrue(managementAsApplication("queue.router", "countMessages"), "reading any queue's figures");
        assertFalse(managementAsApplication("queue.router", "removeAllMessages"), "emptying a subscription");
        assertFalse(managementAsApplication("broker", "destroyQueue", "router"), "deleting a queue");
    }

    /** Whether the broker carried out a management operation for the application's user. */
    private static boolean managementAsApplication(String resource, String operation, Object... parameters) throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                "tcp://127.0.0.1:" + System.getenv("NOTIFY_BROKER_PORT"));
             QueueConnection connection = factory.createQueueConnection(TestInfrastructure.USER, TestInfrastructure.PASSWORD);
             QueueSession session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE)) {
            connection.start();
            Message request = session.createMessage();
            JMSManagementHelper.putOperationInvocation(request, resource, operation, parameters);
            Message reply = new QueueRequestor(session, ActiveMQJMSClient.createQueue("activemq.management")).request(request);
            return JMSManagementHelper.hasOperationSucceeded(reply);
        }
    }
}
