package dev.notify.infrastructure.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

class TemporaryFailureTest {

    @Test
    void retryAfterInSeconds() {
        assertEquals(Duration.ofSeconds(30), TemporaryFailure.retryAfterHeader("30"));
        assertEquals(Duration.ofSeconds(30), TemporaryFailure.retryAfterHeader(" 30 "));
        assertEquals(Duration.ZERO, TemporaryFailure.retryAfterHeader("-5"), "never in the past");
    }

    @Test
    void retryAfterAsAnHttpDate() {
        String inTwoMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(2));

        Duration retryAfter = TemporaryFailure.retryAfterHeader(inTwoMinutes);

        assertTrue(retryAfter.compareTo(Duration.ofSeconds(100)) > 0 && retryAfter.compareTo(Duration.ofSeconds(121)) < 0,
                retryAfter.toString());
        assertEquals(Duration.ZERO, TemporaryFailure.retryAfterHeader("Wed, 21 Oct 2015 07:28:00 GMT"), "a date passed: at once");
    }

    @Test
    void noRetryAfterWhenAbsentOrUnreadable() {
        assertNull(TemporaryFailure.retryAfterHeader(null));
        assertNull(TemporaryFailure.retryAfterHeader(""));
        assertNull(TemporaryFailure.retryAfterHeader("soon"));
    }
}
