package dev.notify.infrastructure.messaging;

import static dev.notify.application.JsonApi.JSON;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.notify.domain.Channel;
import dev.notify.infrastructure.persistence.NotificationStore.Delivery;

/** Sends push notifications to the user's devices through the push provider's HTTP API. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = "notification.push"),
        @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "4")
})
public class PushWorker extends ChannelWorker {

    @Inject
    @ConfigProperty(name = "notify.push.endpoint", defaultValue = "http://127.0.0.1:8025/push")
    String endpoint;

    @Override
    protected Channel channel() {
        return Channel.PUSH;
    }

    @Override
    protected void send(Delivery notification) throws PermanentFailure {
        HttpProvider.post(endpoint, notification.notificationId(), JSON.createObjectBuilder()
                .add("tokens", notification.address())
                .add("title", notification.content().getString("title"))
                .add("body", notification.content().getString("body"))
                .build());
    }
}
