package dev.notify.persistence;

import java.util.Locale;

/** Where an event stands; stored in lower case, as the API shows it. */
public enum EventStatus {
    ACCEPTED, PROCESSED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
