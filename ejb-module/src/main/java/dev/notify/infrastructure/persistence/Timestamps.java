package dev.notify.infrastructure.persistence;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Times as the API shows them. */
final class Timestamps {

    private Timestamps() {
    }

    /** An entity's time as the API shows every time: in UTC, whatever the server's time zone. */
    static OffsetDateTime utc(OffsetDateTime value) {
        return value == null ? null : value.withOffsetSameInstant(ZoneOffset.UTC);
    }
}
