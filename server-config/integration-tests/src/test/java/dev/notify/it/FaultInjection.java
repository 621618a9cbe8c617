package dev.notify.it;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;

import dev.notify.application.EventRecorded;
import dev.notify.infrastructure.persistence.DeliveryFailures;

/**
 * Added to the deployment under test only: fails the consuming transaction after the database
 * writes, for an event that asks for it with {@code test_fail_attempts}, until that many failures
 * are recorded for it: counted across redeliveries and replays, so that a replayed dead letter
 * succeeds.
 */
@ApplicationScoped
public class FaultInjection {

    static final String FAIL_ATTEMPTS = "test_fail_attempts";

    @Inject
    DeliveryFailures failures;

    void failWhenAsked(@Observes EventRecorded recorded) {
        JsonNumber failuresAsked = recorded.event().payload().getJsonNumber(FAIL_ATTEMPTS);
        if (failuresAsked != null
                && failures.of(recorded.consumer(), recorded.event().eventId()).size() < failuresAsked.intValue()) {
            throw new IllegalStateException("injected failure on attempt " + recorded.attempt());
        }
    }
}
