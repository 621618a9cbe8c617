package dev.notify.infrastructure.channels;

import static dev.notify.domain.JsonApi.JSON;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.notify.infrastructure.persistence.NotificationStore.Delivery;

/** Sends SMS notifications through the SMS provider's HTTP API. */
@ApplicationScoped
public class SmsProvider implements ChannelSender {

    @Inject
    @ConfigProperty(name = "notify.sms.endpoint", defaultValue = "http://127.0.0.1:8025/sms")
    String endpoint;

    @Override
    public void send(Delivery notification) throws PermanentFailure {
        HttpProvider.post(endpoint, notification.notificationId(), JSON.createObjectBuilder()
                .add("to", notification.address())
                .add("text", notification.content().getString("text"))
                .build());
    }
}
