package dev.notify.infrastructure.messaging;

import jakarta.jms.JMSException;
import jakarta.jms.Message;

/** How consumers name a failure and count their attempts. */
public final class Failures {

    private Failures() {
    }

    /** The exception and its causes, one line: what an operator needs to see why it failed. */
    public static String describe(Throwable e) {
        StringBuilder reason = new StringBuilder();
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (!reason.isEmpty()) {
                reason.append(" <- ");
            }
            reason.append(cause.getClass().getName());
            if (cause.getMessage() != null) {
                reason.append(": ").append(cause.getMessage());
            }
        }
        return reason.toString();
    }

    /** The delivery attempt, from 1. */
    public static int attempt(Message message) {
        try {
            return message.getIntProperty(Messaging.DELIVERY_COUNT);
        } catch (JMSException | NumberFormatException e) {
            return 1;
        }
    }
}
