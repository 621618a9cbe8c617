package dev.notify.infrastructure.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Native queries hand timestamptz back as OffsetDateTime or Instant, depending on Hibernate's settings. */
final class Timestamps {

    private Timestamps() {
    }

    static OffsetDateTime offset(Object value) {
        return value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : (OffsetDateTime) value;
    }

    /** An entity's time as the API shows every time: in UTC, whatever the server's time zone. */
    static OffsetDateTime utc(OffsetDateTime value) {
        return value == null ? null : value.withOffsetSameInstant(ZoneOffset.UTC);
    }
}
