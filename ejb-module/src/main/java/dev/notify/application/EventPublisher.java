package dev.notify.application;

import dev.notify.domain.PublishedEvent;

/**
 * Hands an accepted event to the consumers. Joins the caller's transaction: the event is sent
 * when, and only when, the caller commits.
 */
public interface EventPublisher {

    void publish(PublishedEvent event);
}
