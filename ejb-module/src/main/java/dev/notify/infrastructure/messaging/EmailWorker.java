package dev.notify.infrastructure.messaging;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.json.JsonString;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import javax.naming.InitialContext;
import javax.naming.NamingException;

import dev.notify.domain.Channel;
import dev.notify.infrastructure.persistence.NotificationStore.Delivery;

/**
 * Sends email notifications with Jakarta Mail through the mail session each server binds as
 * {@code mail/notifications} (server-config). The notification id is the Message-ID.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = "notification.email"),
        @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "4")
})
public class EmailWorker extends ChannelWorker {

    /** Looked up by name for the same reason as the data source (see SchemaMigration). */
    static final String MAIL_SESSION = "mail/notifications";

    @Override
    protected Channel channel() {
        return Channel.EMAIL;
    }

    @Override
    protected void send(Delivery notification) throws PermanentFailure {
        String messageId = "<" + notification.notificationId() + "@notify>";
        try {
            MimeMessage message = new MimeMessage(session()) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    setHeader("Message-ID", messageId);
                }
            };
            message.setRecipient(jakarta.mail.Message.RecipientType.TO,
                    new InternetAddress(((JsonString) notification.address()).getString(), true));
            message.setSubject(notification.content().getString("subject"), "UTF-8");
            message.setText(notification.content().getString("body"), "UTF-8");
            Transport.send(message);
        } catch (AddressException | SendFailedException e) {
            throw new PermanentFailure("the mail server refused the address: " + e.getMessage());
        } catch (MessagingException e) {
            throw new IllegalStateException("sending the mail failed: " + e.getMessage(), e);
        }
    }

    private static Session session() {
        try {
            return InitialContext.doLookup(MAIL_SESSION);
        } catch (NamingException e) {
            throw new IllegalStateException("no mail session bound at " + MAIL_SESSION + "; see server-config", e);
        }
    }
}
