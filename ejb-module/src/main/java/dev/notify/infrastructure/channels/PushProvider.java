package dev.notify.infrastructure.channels;

import static dev.notify.domain.JsonApi.JSON;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.notify.infrastructure.persistence.NotificationStore.Delivery;

/** Sends push notifications to the user's devices through the push provider's HTTP API. */
@ApplicationScoped
public class PushProvider implements ChannelSender {

    @Inject
    @ConfigProperty(name = "notify.push.endpoint", defaultValue = "http://127.0.0.1:8025/push")
    String endpoint;

    @Override
    public void send(Delivery notification) throws PermanentFailure {
        HttpProvider.post(endpoint, notification.notificationId(), JSON.createObjectBuilder()
                .add("tokens", notification.address())
                .add("title", notification.content().getString("title"))
                .add("body", notification.content().getString("body"))
                .build());
    }
}
