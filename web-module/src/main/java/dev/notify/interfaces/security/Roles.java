package dev.notify.interfaces.security;

/** The roles of the service's callers; web.xml grants them the URLs. */
public final class Roles {

    /** Upstream services: publish events, manage recipients, read an event's state. */
    public static final String PUBLISHER = "publisher";

    /** On-call engineers: the admin API and console, and reading an event's state. */
    public static final String OPERATOR = "operator";

    private Roles() {
    }
}
