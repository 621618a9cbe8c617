package dev.notify.application;

import dev.notify.domain.PublishedEvent;

/**
 * Fired (synchronously, inside the consuming transaction) after a consumer has written an event:
 * an observer that throws rolls the whole delivery back.
 *
 * @param consumer the subscription that consumed it
 * @param attempt  the delivery attempt, from 1
 */
public record EventRecorded(String consumer, PublishedEvent event, int attempt) {
}
