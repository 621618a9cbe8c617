package dev.notify.interfaces.messaging;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;

import dev.notify.domain.Channel;
import dev.notify.infrastructure.channels.ChannelSender;
import dev.notify.infrastructure.channels.SmtpMail;

/** Delivers email notifications; each bean instance keeps its own SMTP connection (SmtpMail). */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = "notification.email"),
        @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "4"),
        // acknowledged after the worker's own transaction commits (ChannelWorker)
        @ActivationConfigProperty(propertyName = "useLocalTx", propertyValue = "true")
})
public class EmailWorker extends ChannelWorker {

    @Inject
    SmtpMail mail;

    @Override
    protected Channel channel() {
        return Channel.EMAIL;
    }

    @Override
    protected ChannelSender sender() {
        return mail;
    }
}
