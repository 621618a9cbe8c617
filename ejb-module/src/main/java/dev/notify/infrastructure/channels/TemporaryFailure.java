package dev.notify.infrastructure.channels;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The provider could not take the notification now but may later: throttled (429), timed out on
 * its side (408), or a temporary SMTP reply (4xx, greylisting among them). Retried like any other
 * failure; when the provider said when to come back ({@code Retry-After}), then.
 */
public class TemporaryFailure extends RuntimeException {

    private final transient Duration retryAfter;

    public TemporaryFailure(String reason, Duration retryAfter) {
        super(reason);
        this.retryAfter = retryAfter;
    }

    /** When the provider asked to be called again, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** RFC 9110's Retry-After: seconds, or an HTTP date; null when absent or unreadable. */
    public static Duration retryAfterHeader(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(Instant.now(), ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
