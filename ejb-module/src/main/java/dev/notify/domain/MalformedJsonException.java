package dev.notify.domain;

/** The text is not JSON, or not of the expected shape. */
public class MalformedJsonException extends RuntimeException {
    public MalformedJsonException(String message) {
        super(message);
    }
}
