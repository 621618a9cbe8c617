package dev.notify.application;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy retries = new RetryPolicy();

    @Test
    void aProviderIsCalledAgainWhenItAsked() {
        assertEquals(Optional.of(Duration.ofSeconds(30)), retries.deferral(0, Optional.of(Duration.ofSeconds(30))));
    }

    @Test
    void theDeferralIsBounded() {
        assertEquals(Optional.of(RetryPolicy.MIN_DEFERRAL), retries.deferral(0, Optional.of(Duration.ZERO)));
        assertEquals(Optional.of(RetryPolicy.MAX_DEFERRAL), retries.deferral(0, Optional.of(Duration.ofDays(1))));
    }

    @Test
    void noDeferralWithoutRetryAfterOrOnceTheDeferralsAreUsedUp() {
        assertEquals(Optional.empty(), retries.deferral(0, Optional.empty()));
        assertEquals(Optional.empty(), retries.deferral(RetryPolicy.MAX_DEFERRALS, Optional.of(Duration.ofSeconds(5))));
        assertEquals(Optional.of(Duration.ofSeconds(5)), retries.deferral(RetryPolicy.MAX_DEFERRALS - 1, Optional.of(Duration.ofSeconds(5))));
    }
}
