package dev.notify.it;

import java.io.StringReader;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonNumber;

import dev.notify.application.EventRecorded;
import dev.notify.infrastructure.monitoring.Metrics.NotificationSettled;
import dev.notify.infrastructure.persistence.DeliveryFailures;
import dev.notify.infrastructure.persistence.EventStore;

/**
 * Added to the deployment under test only: fails a consuming transaction after its database
 * writes, for an event that asks for it, until that many failures are recorded for it: counted
 * across redeliveries and replays, so that a replayed dead letter succeeds.
 * {@code test_fail_attempts} fails the router's; {@code test_fail_after_settling} a channel
 * worker's after the provider call and the notification's settling (a worker that dies before
 * its commit), recording the failure itself.
 */
@ApplicationScoped
public class FaultInjection {

    static final String FAIL_ATTEMPTS = "test_fail_attempts";
    static final String FAIL_AFTER_SETTLING = "test_fail_after_settling";

    @Inject
    DeliveryFailures failures;

    @Inject
    EventStore events;

    void failWhenAsked(@Observes EventRecorded recorded) {
        JsonNumber failuresAsked = recorded.event().payload().getJsonNumber(FAIL_ATTEMPTS);
        if (failuresAsked != null
                && failures.of(recorded.consumer(), recorded.event().eventId()).size() < failuresAsked.intValue()) {
            throw new IllegalStateException("injected failure on attempt " + recorded.attempt());
        }
    }

    void failAfterSettlingWhenAsked(@Observes NotificationSettled settled) {
        Optional<JsonNumber> failuresAsked = events.payload(settled.eventId())
                .map(payload -> Json.createReader(new StringReader(payload)).readObject())
                .map(payload -> payload.getJsonNumber(FAIL_AFTER_SETTLING));
        String consumer = settled.channel().queue();
        int failed = failures.of(consumer, settled.eventId()).size();
        if (failuresAsked.isPresent() && failed < failuresAsked.get().intValue()) {
            failures.record(consumer, settled.eventId(), failed + 1, "injected failure after settling " + settled.status().wireName());
            throw new IllegalStateException("injected failure after settling");
        }
    }
}
