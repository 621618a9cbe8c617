package dev.notify.interfaces.messaging;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;

import dev.notify.domain.Channel;
import dev.notify.infrastructure.channels.ChannelSender;
import dev.notify.infrastructure.channels.SmsProvider;

/** Delivers SMS notifications. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = "notification.sms"),
        @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "4"),
        // acknowledged after the worker's own transaction commits (ChannelWorker)
        @ActivationConfigProperty(propertyName = "useLocalTx", propertyValue = "true")
})
public class SmsWorker extends ChannelWorker {

    @Inject
    SmsProvider provider;

    @Override
    protected Channel channel() {
        return Channel.SMS;
    }

    @Override
    protected ChannelSender sender() {
        return provider;
    }
}
