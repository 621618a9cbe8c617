package dev.notify.infrastructure.messaging;

import jakarta.ejb.ApplicationException;

/**
 * Thrown by a consumer whose message is acknowledged after its own transaction commits (a channel
 * worker, the timeline) to have the message redelivered after the broker's back-off: its
 * transaction rolls back, and the resource adapter rolls back the message's acknowledgement. An
 * application exception, so that the container keeps the bean instance and its connections, and
 * without a stack trace: the adapter logs it once per retry, and its reason says all.
 */
@ApplicationException(rollback = true)
public class RedeliveryRequested extends RuntimeException {

    public RedeliveryRequested(String reason) {
        super(reason, null, false, false);
    }
}
