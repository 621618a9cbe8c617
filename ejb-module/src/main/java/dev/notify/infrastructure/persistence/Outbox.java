package dev.notify.infrastructure.persistence;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import dev.notify.persistence.OutboxMessage;

/** The outbox table: accepted events' messages until the relay has sent them. Runs in the caller's transaction. */
@ApplicationScoped
public class Outbox {

    @PersistenceContext(unitName = "notify")
    EntityManager em;

    public void add(OutboxMessage message) {
        em.persist(message);
        // written, not kept: a batch of 500 would otherwise be checked for changes before each statement
        em.detach(message);
    }

    /**
     * The oldest waiting messages, in the order they were accepted, locked until the transaction
     * ends. Rows another transaction holds are skipped, not waited for: one that a failure left
     * prepared (in doubt until the transaction manager resolves it) would otherwise stop the relay.
     */
    public List<OutboxMessage> oldest(int max) {
        return Locks.forUpdateSkipLocked(em.createQuery("SELECT m FROM OutboxMessage m ORDER BY m.id", OutboxMessage.class))
                .setMaxResults(max)
                .getResultList();
    }

    /** Removes sent messages, by id: one accepted meanwhile with a lower id stays for the next batch. */
    public void remove(List<OutboxMessage> sent) {
        em.createQuery("DELETE FROM OutboxMessage m WHERE m.id IN :ids")
                .setParameter("ids", sent.stream().map(OutboxMessage::getId).toList())
                .executeUpdate();
    }

    /** How many messages wait. */
    public long depth() {
        return em.createQuery("SELECT count(m) FROM OutboxMessage m", Long.class).getSingleResult();
    }
}
