package dev.notify.infrastructure.channels;

/** The provider refused the notification; retrying cannot change that. */
public class PermanentFailure extends Exception {

    public PermanentFailure(String reason) {
        super(reason);
    }
}
