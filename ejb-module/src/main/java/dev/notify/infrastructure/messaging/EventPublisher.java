package dev.notify.infrastructure.messaging;

import java.util.List;

import dev.notify.domain.PublishedEvent;

/**
 * Hands accepted events to the consumers, in the given order. Joins the caller's transaction: the
 * events are sent after, and only if, the caller commits. The caller has recorded the events
 * (EventStore) in that transaction: a large payload travels as a reference to that record.
 */
public interface EventPublisher {

    void publish(List<PublishedEvent> events);
}
