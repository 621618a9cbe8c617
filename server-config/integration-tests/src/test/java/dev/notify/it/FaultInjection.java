package dev.notify.it;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.json.JsonNumber;

import dev.notify.application.EventRecorded;

/**
 * Added to the deployment under test only: fails the consuming transaction after the database
 * writes, on the first {@code test_fail_attempts} delivery attempts of an event that asks for it.
 */
@ApplicationScoped
public class FaultInjection {

    static final String FAIL_ATTEMPTS = "test_fail_attempts";

    void failWhenAsked(@Observes EventRecorded recorded) {
        JsonNumber failures = recorded.event().payload().getJsonNumber(FAIL_ATTEMPTS);
        if (failures != null && recorded.attempt() <= failures.intValue()) {
            throw new IllegalStateException("injected failure on attempt " + recorded.attempt());
        }
    }
}
