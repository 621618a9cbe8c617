package dev.notify.application;

/** The text is not JSON, or not shaped like an event. */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message) {
        super(message);
    }
}
