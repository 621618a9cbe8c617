package dev.notify.infrastructure.messaging;

import java.time.Instant;

/**
 * A message the service moved to a dead-letter queue, fired in the transaction that moves it.
 *
 * @param eventId null when the message named no event
 */
public record DeadLettered(String queue, String originalQueue, String eventId, String reason, Instant at) {
}
