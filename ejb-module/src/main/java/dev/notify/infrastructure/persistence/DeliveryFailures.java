package dev.notify.infrastructure.persistence;

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
}
