package dev.notify.infrastructure.persistence;

import static dev.notify.domain.JsonApi.JSON;

import java.io.StringReader;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import dev.notify.persistence.AdminJobRecord;

/**
 * The state of operator jobs. Each change commits at once, so that progress shows while the job
 * runs, on every instance. A job is run by one instance, its owner, under a lease it renews with a
 * heartbeat; a change by an instance that lost the lease (another took the job over) is refused
 * with {@link LeaseLost}. Lease times are the instances' clocks, which must agree (NTP) to well
 * within a lease.
 */
@ApplicationScoped
@Transactional
public class AdminJobs {

    private static final Logger LOG = Logger.getLogger(AdminJobs.class.getName());

    @PersistenceContext(unitName = "notify")
    EntityManager em;

    public record Job(UUID id, String kind, String source, String target, JsonObject selection, int ratePerSecond,
                      String status, String owner, Integer total, int done, int failed, String lastError,
                      OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt) {
    }

    /** The job was taken over by another instance: its lease ran out. */
    public static class LeaseLost extends RuntimeException {
        LeaseLost(UUID id, String owner) {
            super("job " + id + " is no longer run by " + owner + ": another instance took it over");
        }
    }

    /** A new running job, owned by {@code owner}. */
    public void create(UUID id, String kind, String source, String target, String selectionJson, int ratePerSecond, String owner) {
        em.persist(new AdminJobRecord(id, kind, source, target, selectionJson, ratePerSecond, owner));
    }

    /**
     * The job has listed what it will work through: {@code total} messages, of a dead-letter retry
     * the newest {@code lastMessageId} (null for a history replay).
     */
    public void started(UUID id, String owner, int total, Long lastMessageId) {
        owned(id, owner, em.createQuery("""
                        UPDATE AdminJobRecord j SET j.total = :total, j.lastMessageId = :lastMessageId,
                                                    j.startedAt = CURRENT_TIMESTAMP, j.updatedAt = CURRENT_TIMESTAMP
                        WHERE j.id = :id AND j.owner = :owner AND j.status = 'running'""")
                .setParameter("total", total)
                .setParameter("lastMessageId", lastMessageId));
    }

    public void progress(UUID id, String owner, int done, int failed, String lastError) {
        owned(id, owner, em.createQuery("""
                        UPDATE AdminJobRecord j SET j.done = :done, j.failed = :failed, j.lastError = :lastError,
                                                    j.updatedAt = CURRENT_TIMESTAMP
                        WHERE j.id = :id AND j.owner = :owner AND j.status = 'running'""")
                .setParameter("done", done)
                .setParameter("failed", failed)
                .setParameter("lastError", lastError));
    }

    /** Completed, or failed; the last error stays unless a new one is given. */
    public void finish(UUID id, String owner, boolean completed, String lastError) {
        owned(id, owner, em.createQuery("""
                        UPDATE AdminJobRecord j SET j.status = :status, j.lastError = COALESCE(:lastError, j.lastError),
                                                    j.finishedAt = CURRENT_TIMESTAMP, j.updatedAt = CURRENT_TIMESTAMP
                        WHERE j.id = :id AND j.owner = :owner AND j.status = 'running'""")
                .setParameter("status", completed ? "completed" : "failed")
                .setParameter("lastError", lastError));
    }

    /** Renews the lease of the running jobs that {@code owner} runs. */
    public void heartbeat(String owner, Collection<UUID> ids) {
        if (!ids.isEmpty()) {
            em.createQuery("""
                            UPDATE AdminJobRecord j SET j.heartbeatAt = :now
                            WHERE j.id IN :ids AND j.owner = :owner AND j.status = 'running'""")
                    .setParameter("now", OffsetDateTime.now())
                    .setParameter("ids", ids)
                    .setParameter("owner", owner)
                    .executeUpdate();
        }
    }

    /**
     * Takes over the running jobs whose lease ran out before {@code staleBefore} (their instance
     * stopped), and those of {@code owner} that it does not run (it stopped and started again);
     * each as it stands, now owned by {@code owner}. Taking one is a conditional update: of two
     * instances after the same job, the second finds the lease renewed by the first and leaves it.
     */
    public List<AdminJobRecord> takeOver(String owner, OffsetDateTime staleBefore, Set<UUID> runningHere) {
        List<AdminJobRecord> taken = new ArrayList<>();
        for (AdminJobRecord job : em.createNamedQuery(AdminJobRecord.TO_TAKE_OVER, AdminJobRecord.class)
                .setParameter("staleBefore", staleBefore)
                .setParameter("owner", owner)
                .getResultList()) {
            if (runningHere.contains(job.getId())) {
                continue;
            }
            int claimed = em.createQuery("""
                            UPDATE AdminJobRecord j SET j.owner = :owner, j.heartbeatAt = :now
                            WHERE j.id = :id AND j.status = 'running'
                              AND (j.heartbeatAt < :staleBefore OR j.owner = :owner)""")
                    .setParameter("id", job.getId())
                    .setParameter("owner", owner)
                    .setParameter("staleBefore", staleBefore)
                    .setParameter("now", OffsetDateTime.now())
                    .executeUpdate();
            if (claimed == 1) {
                String previous = job.getOwner();
                OffsetDateTime renewed = job.getHeartbeatAt();
                LOG.info(() -> "Took over job " + job.getId() + " from " + previous + " (lease last renewed " + renewed + ")");
                em.refresh(job);
                taken.add(job);
            }
        }
        return taken;
    }

    /** Whether a job of the kind is running: one whose instance stopped is resumed by another, so it counts. */
    public boolean running(String kind) {
        return !em.createNamedQuery(AdminJobRecord.RUNNING, UUID.class)
                .setParameter("kind", kind)
                .setMaxResults(1)
                .getResultList().isEmpty();
    }

    public Optional<Job> find(UUID id) {
        return Optional.ofNullable(em.find(AdminJobRecord.class, id)).map(AdminJobs::job);
    }

    /** The newest jobs first. */
    public List<Job> recent(int limit) {
        return em.createNamedQuery(AdminJobRecord.RECENT, AdminJobRecord.class)
                .setMaxResults(limit)
                .getResultList().stream()
                .map(AdminJobs::job)
                .toList();
    }

    /** Runs a change of a job that {@code owner} must still own; LeaseLost when it does not. */
    private static void owned(UUID id, String owner, Query change) {
        if (change.setParameter("id", id).setParameter("owner", owner).executeUpdate() == 0) {
            throw new LeaseLost(id, owner);
        }
    }

    private static Job job(AdminJobRecord job) {
        return new Job(job.getId(), job.getKind(), job.getSource(), job.getTarget(),
                JSON.createReader(new StringReader(job.getSelection())).readObject(), job.getRatePerSecond(), job.getStatus(),
                job.getOwner(), job.getTotal(), job.getDone(), job.getFailed(), job.getLastError(),
                Timestamps.utc(job.getCreatedAt()), Timestamps.utc(job.getStartedAt()), Timestamps.utc(job.getFinishedAt()));
    }
}
