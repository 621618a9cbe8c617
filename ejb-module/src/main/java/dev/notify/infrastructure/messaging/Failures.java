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

    /**
     * The delivery attempt, from 1: the broker's count of this message's deliveries, after the
     * attempts of the message it was deferred from (a notification put back on its queue for later
     * carries them on).
     */
    public static int attempt(Message message) {
        return intProperty(message, Messaging.DELIVERY_COUNT, 1) + intProperty(message, Messaging.ATTEMPTS_BEFORE, 0);
    }

    /** How often the notification was deferred at its provider's request (Messaging.DEFERRALS), 0 before the first time. */
    public static int deferrals(Message message) {
        return intProperty(message, Messaging.DEFERRALS, 0);
    }

    private static int intProperty(Message message, String name, int absent) {
        try {
            return message.propertyExists(name) ? message.getIntProperty(name) : absent;
        } catch (JMSException | NumberFormatException e) {
            return absent;
        }
    }
}
