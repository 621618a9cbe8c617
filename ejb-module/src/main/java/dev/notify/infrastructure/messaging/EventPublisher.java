package dev.notify.infrastructure.messaging;

import dev.notify.domain.PublishedEvent;

/**
 * Hands an accepted event to the consumers. Joins the caller's transaction: the event is sent
 * after, and only if, the caller commits. The caller has recorded the event (EventStore) in that
 * transaction: a large payload travels as a reference to that record.
 */
public interface EventPublisher {

    void publish(PublishedEvent event);
}
