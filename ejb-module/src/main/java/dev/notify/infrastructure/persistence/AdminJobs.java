package dev.notify.infrastructure.persistence;

import static dev.notify.domain.JsonApi.JSON;

import java.io.StringReader;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import dev.notify.persistence.AdminJobRecord;

/**
 * The state of operator jobs. Each change commits at once, so that progress shows while the job
 * runs, on every instance.
 */
@ApplicationScoped
@Transactional
public class AdminJobs {

    /** Longer than any step of a job, the broker's replay of its retained journal included. */
    static final int STALE_AFTER_MINUTES = 10;

    @PersistenceContext(unitName = "notify")
    EntityManager em;

    public record Job(UUID id, String kind, String source, String target, JsonObject selection, int ratePerSecond,
                      String status, Integer total, int done, int failed, String lastError, OffsetDateTime createdAt,
                      OffsetDateTime startedAt, OffsetDateTime finishedAt) {
    }

    public UUID create(String kind, String source, String target, String selectionJson, int ratePerSecond) {
        AdminJobRecord job = new AdminJobRecord(kind, source, target, selectionJson, ratePerSecond);
        em.persist(job);
        return job.getId();
    }

    /** The job has listed what it will work through. */
    public void started(UUID id, int total) {
        em.createQuery("""
                        UPDATE AdminJobRecord j SET j.total = :total, j.startedAt = CURRENT_TIMESTAMP,
                                                    j.updatedAt = CURRENT_TIMESTAMP WHERE j.id = :id""")
                .setParameter("id", id)
                .setParameter("total", total)
                .executeUpdate();
    }

    public void progress(UUID id, int done, int failed, String lastError) {
        em.createQuery("""
                        UPDATE AdminJobRecord j SET j.done = :done, j.failed = :failed, j.lastError = :lastError,
                                                    j.updatedAt = CURRENT_TIMESTAMP WHERE j.id = :id""")
                .setParameter("id", id)
                .setParameter("done", done)
                .setParameter("failed", failed)
                .setParameter("lastError", lastError)
                .executeUpdate();
    }

    /** Completed, or failed; the last error stays unless a new one is given. */
    public void finish(UUID id, boolean completed, String lastError) {
        em.createQuery("""
                        UPDATE AdminJobRecord j SET j.status = :status, j.lastError = COALESCE(:lastError, j.lastError),
                                                    j.finishedAt = CURRENT_TIMESTAMP, j.updatedAt = CURRENT_TIMESTAMP
                        WHERE j.id = :id""")
                .setParameter("id", id)
                .setParameter("status", completed ? "completed" : "failed")
                .setParameter("lastError", lastError)
                .executeUpdate();
    }

    /**
     * Whether a job of the kind is running: one that made progress lately. A job whose instance
     * stopped stays {@code running} in its row, but stops counting once it has been still for
     * {@link #STALE_AFTER_MINUTES}.
     */
    public boolean running(String kind) {
        return !em.createNamedQuery(AdminJobRecord.RUNNING_SINCE, UUID.class)
                .setParameter("kind", kind)
                .setParameter("since", OffsetDateTime.now().minusMinutes(STALE_AFTER_MINUTES))
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

    private static Job job(AdminJobRecord job) {
        return new Job(job.getId(), job.getKind(), job.getSource(), job.getTarget(),
                JSON.createReader(new StringReader(job.getSelection())).readObject(), job.getRatePerSecond(), job.getStatus(),
                job.getTotal(), job.getDone(), job.getFailed(), job.getLastError(), Timestamps.utc(job.getCreatedAt()),
                Timestamps.utc(job.getStartedAt()), Timestamps.utc(job.getFinishedAt()));
    }
}
