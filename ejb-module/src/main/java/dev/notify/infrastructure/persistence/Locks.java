package dev.notify.infrastructure.persistence;

import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;

/** Row locks that JPQL cannot name but Hibernate can. */
final class Locks {

    /** Hibernate's lock timeout that skips the rows another transaction holds. */
    private static final int SKIP_LOCKED = -2;

    private Locks() {
    }

    /** {@code FOR UPDATE SKIP LOCKED}: the rows the query finds, less those another transaction holds. */
    static <T> TypedQuery<T> forUpdateSkipLocked(TypedQuery<T> query) {
        return query.setLockMode(LockModeType.PESSIMISTIC_WRITE).setHint("jakarta.persistence.lock.timeout", SKIP_LOCKED);
    }
}
