package dev.notify.bench;

import java.sql.SQLException;
import java.time.Duration;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The ceiling of the server, broker and database in the same run: the bare bean's queue filled far
 * faster than the bean empties it, and the rate at which its rows appear, one two-phase commit each,
 * after the first fifth (the bean's own start).
 */
final class BareBeanCeiling {

    /** The bare bean's queue (bench/bare-bean); the broker does not create it by itself. */
    static final String QUEUE = "notification.bench.bare";
    private static final int MESSAGES_PER_COMMIT = 100;

    private final String brokerUrl;
    private final String user;
    private final String password;

    BareBeanCeiling(String brokerUrl, String user, String password) {
        this.brokerUrl = brokerUrl;
        this.user = user;
        this.password = password;
    }

    /** Declares the bean's queue; done before the bean is deployed, so that it binds at once. */
    void createQueue() throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(brokerUrl);
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession(user, password, false, true, true, false, 0)) {
            if (!session.queueQuery(SimpleString.of(QUEUE)).isExists()) {
                session.createAddress(SimpleString.of(QUEUE), RoutingType.ANYCAST, false);
                session.createQueue(QueueConfiguration.of(QUEUE).setRoutingType(RoutingType.ANYCAST).setDurable(true));
            }
        }
    }

    /** Transactions per second of the bare bean over the given number of messages. */
    double measure(Store store, int messages) throws JMSException, SQLException, InterruptedException {
        store.prepareBareBeanTable();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
             Connection connection = factory.createConnection(user, password);
             Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
            MessageProducer producer = session.createProducer(session.createQueue(QUEUE));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 1; i <= messages; i++) {
                producer.send(session.createTextMessage("message " + i));
                if (i % MESSAGES_PER_COMMIT == 0 || i == messages) {
                    session.commit();
                }
            }
        }
        Waiting.until(Duration.ofMinutes(5), "the bare bean's " + messages + " rows",
                store::bareBeanRowCount, count -> count >= messages);
        Store.BareBeanRows steady = store.bareBeanRowsAfter(messages / 5);
        return steady.count() / steady.seconds();
    }
}
