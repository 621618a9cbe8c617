package dev.notify.infrastructure.persistence;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import dev.notify.persistence.DeliveryFailureRecord;

/** Why deliveries failed: one row per failed attempt, kept when the attempt itself rolls back. */
@ApplicationScoped
public class DeliveryFailures {

    @PersistenceContext(unitName = "notify")
    EntityManager em;

    /** One failed attempt. */
    public record Failure(int attempt, OffsetDateTime failedAt, String reason) {
    }

    @Transactional(TxType.REQUIRES_NEW)
    public void record(String consumer, String eventId, int attempt, String reason) {
        em.persist(new DeliveryFailureRecord(consumer, eventId, attempt, reason));
    }

    /** Why a consumer failed on an event, attempt by attempt. */
    public List<Failure> of(String consumer, String eventId) {
        return em.createNamedQuery(DeliveryFailureRecord.OF_CONSUMER_AND_EVENT, DeliveryFailureRecord.class)
                .setParameter("eventId", eventId)
                .setParameter("consumer", consumer)
                .getResultList().stream()
                .map(failure -> new Failure(failure.getAttempt(), Timestamps.utc(failure.getFailedAt()), failure.getReason()))
                .toList();
    }
}
