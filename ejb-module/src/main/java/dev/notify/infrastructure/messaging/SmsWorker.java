package dev.notify.infrastructure.messaging;

import static dev.notify.application.JsonApi.JSON;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.notify.domain.Channel;
import dev.notify.infrastructure.persistence.NotificationStore.Delivery;

/** Sends SMS notifications through the SMS provider's HTTP API. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = "notification.sms"),
        @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "4")
})
public class SmsWorker extends ChannelWorker {

    @Inject
    @ConfigProperty(name = "notify.sms.endpoint", defaultValue = "http://127.0.0.1:8025/sms")
    String endpoint;

    @Override
    protected Channel channel() {
        return Channel.SMS;
    }

    @Override
    protected void send(Delivery notification) throws PermanentFailure {
        HttpProvider.post(endpoint, notification.notificationId(), JSON.createObjectBuilder()
                .add("to", notification.address())
                .add("text", notification.content().getString("text"))
                .build());
    }
}
