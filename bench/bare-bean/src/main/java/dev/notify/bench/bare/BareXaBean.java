package dev.notify.bench.bare;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * The ceiling: what the product's server, resource adapter, broker and XA data source do when a
 * message-driven bean does nothing but one insert per message. Container-managed and XA like the
 * product's beans, so every message is a two-phase commit of the broker's and PostgreSQL's
 * branches. The harness creates the queue and the table and counts the rows.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = BareXaBean.QUEUE),
        @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "8")
})
public class BareXaBean implements MessageListener {

    /** Under notification.#, so that it has the product's address settings and the application's permissions. */
    static final String QUEUE = "notification.bench.bare";

    private DataSource database;

    /** By its global name, as the product's beans look it up (WildFly reads a relative @Resource under java:comp/env). */
    @PostConstruct
    void lookUpDatabase() {
        try {
            database = InitialContext.doLookup("jdbc/notifications");
        } catch (NamingException e) {
            throw new IllegalStateException("no data source bound at jdbc/notifications", e);
        }
    }

    @Override
    public void onMessage(Message message) {
        try (Connection connection = database.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO bench_bare_bean (message_id) VALUES (?)")) {
            insert.setString(1, message.getJMSMessageID());
            insert.executeUpdate();
        } catch (SQLException | JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
