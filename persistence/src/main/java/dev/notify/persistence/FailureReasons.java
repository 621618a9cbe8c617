package dev.notify.persistence;

/** Failure reasons as they are stored. */
public final class FailureReasons {

    /** Longer reasons are cut: a stack of causes can be long, and the operator needs its start. */
    public static final int MAX_LENGTH = 2000;

    private FailureReasons() {
    }

    public static String cut(String reason) {
        return reason == null || reason.length() <= MAX_LENGTH ? reason : reason.substring(0, MAX_LENGTH);
    }
}
