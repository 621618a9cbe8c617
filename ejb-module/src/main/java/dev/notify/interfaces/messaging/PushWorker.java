package dev.notify.interfaces.messaging;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;

import dev.notify.domain.Channel;
import dev.notify.infrastructure.channels.ChannelSender;
import dev.notify.infrastructure.channels.PushProvider;

/** Delivers push notifications to the user's devices. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = "notification.push"),
        @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "4"),
        // acknowledged after the worker's own transaction commits (ChannelWorker)
        @ActivationConfigProperty(propertyName = "useLocalTx", propertyValue = "true")
})
public class PushWorker extends ChannelWorker {

    @Inject
    PushProvider provider;

    @Override
    protected Channel channel() {
        return Channel.PUSH;
    }

    @Override
    protected ChannelSender sender() {
        return provider;
    }
}
