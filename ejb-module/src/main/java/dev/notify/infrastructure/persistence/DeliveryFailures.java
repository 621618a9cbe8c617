package dev.notify.infrastructure.persistence;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/** Why deliveries failed: one row per failed attempt, kept when the attempt itself rolls back. */
@ApplicationScoped
public class DeliveryFailures {

    private static final int MAX_REASON_LENGTH = 2000;

    @PersistenceContext(unitName = "notify")
    EntityManager em;

    /** One failed attempt. */
    public record Failure(int attempt, OffsetDateTime failedAt, String reason) {
    }

    @Transactional(TxType.REQUIRES_NEW)
    public void record(String consumer, String eventId, int attempt, String reason) {
        em.createNativeQuery("""
                        INSERT INTO delivery_failure (consumer, event_id, attempt, reason)
                        VALUES (?1, ?2, ?3, ?4)""")
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .setParameter(3, attempt)
                .setParameter(4, reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) : reason)
                .executeUpdate();
    }

    /** Why a consumer failed on an event, attempt by attempt. */
    public List<Failure> of(String consumer, String eventId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT attempt, failed_at, reason FROM delivery_failure
                        WHERE event_id = ?1 AND consumer = ?2 ORDER BY failed_at, id""")
                .setParameter(1, eventId)
                .setParameter(2, consumer)
                .getResultList();
        return rows.stream().map(row -> new Failure(((Number) row[0]).intValue(), Timestamps.offset(row[1]), (String) row[2]))
                .toList();
    }
}
