package dev.notify.infrastructure.channels;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.Dependent;
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

import dev.notify.infrastructure.persistence.NotificationStore.Delivery;

/**
 * Sends email with Jakarta Mail through the mail session each server binds as
 * {@code mail/notifications} (server-config). The notification id is the Message-ID. Dependent:
 * each email worker instance has its own, which keeps its SMTP connection open between mails, as a
 * mail client does, instead of a connection, greeting and goodbye per mail.
 */
@Dependent
public class SmtpMail implements ChannelSender {

    /** Looked up by name for the same reason as the data source (see Schema.DATA_SOURCE). */
    static final String MAIL_SESSION = "mail/notifications";

    /** Looked up once per bean instance: a lookup builds a new Session, which scans the class path for its providers. */
    private Session session;

    /** This instance's connection to the mail server; opened on the first mail. */
    private Transport transport;

    @PostConstruct
    void lookUpSession() {
        try {
            session = InitialContext.doLookup(MAIL_SESSION);
        } catch (NamingException e) {
            throw new IllegalStateException("no mail session bound at " + MAIL_SESSION + "; see server-config", e);
        }
    }

    @Override
    public void send(Delivery notification) throws PermanentFailure {
        String messageId = "<" + notification.notificationId() + "@notify>";
        try {
            MimeMessage message = new MimeMessage(session) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    setHeader("Message-ID", messageId);
                }
            };
            message.setRecipient(jakarta.mail.Message.RecipientType.TO,
                    new InternetAddress(((JsonString) notification.address()).getString(), true));
            message.setSubject(notification.content().getString("subject"), "UTF-8");
            message.setText(notification.content().getString("body"), "UTF-8");
            deliver(message);
        } catch (AddressException e) {
            throw new PermanentFailure("not an email address: " + e.getMessage());
        } catch (SendFailedException e) {
            if (replyCode(e) / 100 == 4) {
                throw new TemporaryFailure("the mail server deferred the mail (a temporary " + replyCode(e) + " reply): " + e.getMessage(), null);
            }
            throw new PermanentFailure("the mail server refused the address: " + e.getMessage());
        } catch (MessagingException e) {
            throw new IllegalStateException("sending the mail failed: " + e.getMessage(), e);
        }
    }

    private void deliver(MimeMessage message) throws MessagingException {
        message.saveChanges();
        try {
            connectedTransport().sendMessage(message, message.getAllRecipients());
        } catch (SendFailedException e) {
            throw e; // the server answered: the connection is fine
        } catch (MessagingException | IllegalStateException e) {
            // the kept connection broke or the server closed it meanwhile: once more on a new one
            closeTransport();
            connectedTransport().sendMessage(message, message.getAllRecipients());
        }
    }

    /**
     * The SMTP reply code behind a refused send, or 0 when none is known. Jakarta Mail's SMTP
     * provider (Angus Mail on both servers) carries it in its exceptions' {@code getReturnCode()},
     * which the API does not declare: found by name, so that the provider's package does not matter.
     */
    static int replyCode(MessagingException refused) {
        for (Exception e = refused; e != null; e = e instanceof MessagingException m ? m.getNextException() : null) {
            try {
                if (e.getClass().getMethod("getReturnCode").invoke(e) instanceof Integer code && code > 0) {
                    return code;
                }
            } catch (ReflectiveOperationException notAnSmtpReply) {
                // an exception without a reply code: look at the next
            }
        }
        return 0;
    }

    /** Not checked with isConnected(), which costs the server a NOOP per mail: a broken connection fails the send instead. */
    private Transport connectedTransport() throws MessagingException {
        if (transport == null) {
            transport = session.getTransport();
            transport.connect();
        }
        return transport;
    }

    @PreDestroy
    void closeTransport() {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException e) {
                // closing a broken connection: nothing left to do
            }
            transport = null;
        }
    }
}
