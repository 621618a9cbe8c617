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

    /**
     * Adds messages in one statement, their ids in the given order: the relay's order. Native: the
     * ids come from the table's identity as the rows are written, so that a user's later request
     * gets a later id on any instance (ids handed out in blocks per instance, as JPA's batching
     * needs, would not); JPA writes such rows one statement each: a fifth of a batch's time.
     */
    public void add(List<OutboxMessage> messages) {
        em.createNativeQuery("""
                        INSERT INTO outbox (event_id, event_type, user_id, message, payload_by_reference)
                        SELECT event_id, event_type, user_id, message, CAST(payload_by_reference AS boolean)
                        FROM unnest(CAST(?1 AS text[]), CAST(?2 AS text[]), CAST(?3 AS text[]), CAST(?4 AS text[]),
                                    CAST(?5 AS text[]))
                             WITH ORDINALITY AS given (event_id, event_type, user_id, message, payload_by_reference, position)
                        ORDER BY position""")
                .setParameter(1, messages.stream().map(OutboxMessage::getEventId).toArray(String[]::new))
                .setParameter(2, messages.stream().map(OutboxMessage::getEventType).toArray(String[]::new))
                .setParameter(3, messages.stream().map(OutboxMessage::getUserId).toArray(String[]::new))
                .setParameter(4, messages.stream().map(OutboxMessage::getMessage).toArray(String[]::new))
                .setParameter(5, messages.stream().map(message -> String.valueOf(message.isPayloadByReference())).toArray(String[]::new))
                .executeUpdate();
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
