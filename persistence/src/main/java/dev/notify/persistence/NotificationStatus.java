package dev.notify.persistence;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a notification stands; stored in lower case, as the API shows it. The per-user order
 * rule reads it: a user's notification on a channel waits while an earlier one of theirs there
 * {@linkplain #holdsBackLater() holds it back}, and each one that {@linkplain #isSettled() settles}
 * releases their next held one. The changes the service makes ({@link #mayBecome}):
 * <ul>
 * <li>inserted {@code PENDING}, its message sent with it, or {@code FAILED} when it cannot be sent
 * at all (no recipient, no address);</li>
 * <li>{@code PENDING}, or {@code DEAD_LETTERED} with its message sent back by an operator, to
 * {@code HELD}: its message came while an earlier one held it back, and was acknowledged;</li>
 * <li>{@code HELD} to {@code PENDING}, with a new message: released by the one that held it back
 * settling, by the router routing the event it waited for, or by the stalled-work sweep finding
 * nothing holding it back; {@code PENDING} to {@code PENDING}: its message went missing, and the
 * sweep sent another;</li>
 * <li>{@code PENDING} or {@code DEAD_LETTERED} to a settled one: {@code SENT}, {@code FAILED}
 * (refused by its provider) or {@code DEAD_LETTERED} (its last attempt failed).</li>
 * </ul>
 * A deferral, or a failed attempt that will be retried, changes no status.
 */
public enum NotificationStatus {
    /** A message for it is on its channel's queue, or due there: its worker takes it in its turn. */
    PENDING,
    /**
     * Its message was acknowledged while an earlier one held it back: it waits, with no message,
     * until what held it back settles (or is routed) and releases it.
     */
    HELD,
    /** Its provider took it. */
    SENT,
    /** Refused by its provider, or it could not be made (no recipient, no address): no retry can help. */
    FAILED,
    /** Its last attempt failed: its message is in the channel's dead-letter queue, from which an operator may send it again. */
    DEAD_LETTERED;

    /**
     * The ones that hold back the user's later notifications on the channel: not settled yet. The
     * queries name these statuses literally, as the partial indexes' predicates do, so that the plans
     * PostgreSQL caches for any parameters can use those indexes.
     */
    public static final List<NotificationStatus> HOLDING_BACK = List.of(PENDING, HELD);

    /** Tried to the end: what tells whether the channel fails for the user (sent, or dead-lettered). */
    public static final List<NotificationStatus> TRIED_TO_THE_END = List.of(SENT, DEAD_LETTERED);

    /** What a notification is stored as when it is made: on its way, or failed before any attempt. */
    public static final Set<NotificationStatus> INSERTED = EnumSet.of(PENDING, FAILED);

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static NotificationStatus fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /**
     * Worth sending when a message for it comes: not yet sent, or dead-lettered (when its message is
     * sent back by an operator, {@link #isSendableBy}). A held one is not: its message can only be
     * the one of its release, whose database side has not committed yet.
     */
    public boolean isSendable() {
        return isSendableBy(true);
    }

    /**
     * Worth sending for this message: a pending one for any, a dead-lettered one only for its
     * message sent back from the dead-letter queue by an operator. Another message for a
     * dead-lettered one is a stale copy (the stalled-work sweep's, sent while the first was only
     * late): sending it would send a given-up notification after the user's later ones.
     */
    public boolean isSendableBy(boolean sentBackFromDeadLetters) {
        return this == PENDING || this == DEAD_LETTERED && sentBackFromDeadLetters;
    }

    /** Holds back the user's later notifications on its channel: not settled yet. */
    public boolean holdsBackLater() {
        return HOLDING_BACK.contains(this);
    }

    /** Done with for the user's order (sent, refused or dead-lettered): it releases their next held one. */
    public boolean isSettled() {
        return !holdsBackLater();
    }

    /** Tried to the end: sent, or dead-lettered. */
    public boolean isTriedToTheEnd() {
        return TRIED_TO_THE_END.contains(this);
    }

    /**
     * Whether the service changes a notification from this status to {@code next}: a sendable one
     * is settled by its attempt or held; a held one, or a pending one whose message went missing,
     * is dispatched (pending) again. Nothing changes a sent or failed one.
     */
    public boolean mayBecome(NotificationStatus next) {
        return switch (this) {
            case PENDING -> next == HELD || next == PENDING || next.isSettled();
            case DEAD_LETTERED -> next == HELD || next.isSettled();
            case HELD -> next == PENDING;
            case SENT, FAILED -> false;
        };
    }
}
