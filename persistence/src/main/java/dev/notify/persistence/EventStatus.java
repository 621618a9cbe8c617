package dev.notify.persistence;

/** Where an event stands; stored in lower case, as the API shows it. */
public enum EventStatus {
    ACCEPTED, PROCESSED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
