package dev.notify.persistence;

import java.util.Locale;

/** Where an event stands; stored in lower case, as the API shows it. */
public enum EventStatus {
    ACCEPTED, PROCESSED,
    /** The router gave up on it: its message is in the router's dead-letter queue. */
    DEAD_LETTERED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static EventStatus fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
