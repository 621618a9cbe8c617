package dev.notify.infrastructure.persistence;

import java.util.List;
import java.util.Set;

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

    /** Messages to send now, and whether more may be waiting behind them (a page of rows was full). */
    public record Batch(List<OutboxMessage> messages, boolean moreWaiting) {
    }

    /** How many full pages of rows that must wait a batch looks past before it leaves the rest to the next sweep. */
    private static final int MAX_PAGES = 10;

    /**
     * The oldest waiting messages, in the order they were accepted, locked until the transaction
     * ends, less those whose user has an older one that this batch does not hold: a user's later
     * events never overtake the earlier ones, whichever instance's relay holds those. Rows another
     * transaction holds are skipped, not waited for: another relay's batch, or one that a failure
     * left prepared (in doubt until the transaction manager resolves it), which would otherwise
     * stop every relay; only that user's later events wait for it. When a whole page of rows must
     * wait so (a user's backlog behind such a row), the next page is looked at: the other users'
     * events behind that backlog go on.
     */
    public Batch oldest(int max) {
        long after = 0; // identity ids start at 1
        for (int page = 0; page < MAX_PAGES; page++) {
            List<OutboxMessage> locked = Locks.forUpdateSkipLocked(
                            em.createQuery("SELECT m FROM OutboxMessage m WHERE m.id > :after ORDER BY m.id", OutboxMessage.class))
                    .setParameter("after", after)
                    .setMaxResults(max)
                    .getResultList();
            List<OutboxMessage> sendable = locked.isEmpty() ? locked : notBehindOthers(locked);
            boolean full = locked.size() == max;
            if (!sendable.isEmpty() || !full) {
                return new Batch(sendable, full);
            }
            after = locked.get(locked.size() - 1).getId();
        }
        return new Batch(List.of(), true);
    }

    /** The locked messages less those whose user has an older one outside them. */
    private List<OutboxMessage> notBehindOthers(List<OutboxMessage> locked) {
        List<Long> ids = locked.stream().map(OutboxMessage::getId).toList();
        Set<Long> behindOthers = Set.copyOf(em.createQuery("""
                        SELECT m.id FROM OutboxMessage m WHERE m.id IN :ids AND EXISTS (
                            SELECT o FROM OutboxMessage o WHERE o.userId = m.userId AND o.id < m.id AND o.id NOT IN :ids)""", Long.class)
                .setParameter("ids", ids)
                .getResultList());
        return locked.stream().filter(message -> !behindOthers.contains(message.getId())).toList();
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
