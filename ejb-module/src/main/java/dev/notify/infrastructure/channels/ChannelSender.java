package dev.notify.infrastructure.channels;

import dev.notify.infrastructure.persistence.NotificationStore.Delivery;

/** A channel's provider: email over SMTP, SMS and push over their HTTP APIs. */
public interface ChannelSender {

    /**
     * Sends the notification; returns normally once the provider has it.
     *
     * @throws PermanentFailure when the provider refuses it for good (a 4xx, an invalid address)
     */
    void send(Delivery notification) throws PermanentFailure;
}
