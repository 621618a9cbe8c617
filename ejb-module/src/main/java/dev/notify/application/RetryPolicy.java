package dev.notify.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How many times a message is tried before it is dead-lettered. The broker redelivers with its
 * back-off; on the last attempt the consumer dead-letters the message itself, with the reason, so
 * it must know the broker's max-delivery-attempts for notification.# (the same setting, see README,
 * "Configuration"). Should the two differ, the broker still dead-letters at its own limit.
 */
@ApplicationScoped
public class RetryPolicy {

    @Inject
    @ConfigProperty(name = "notify.delivery.max-attempts", defaultValue = "5")
    int maxAttempts;

    public boolean isLast(int attempt) {
        return attempt >= maxAttempts;
    }
}
