package dev.notify.infrastructure.persistence;

import static dev.notify.application.JsonApi.JSON;

import java.io.StringReader;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

/**
 * The state of operator jobs. Each change commits at once, so that progress shows while the job
 * runs, on every instance.
 */
@ApplicationScoped
@Transactional
public class AdminJobs {

    private static final String COLUMNS = """
            job_id, kind, source, target, CAST(selection AS text), rate_per_second, status, total, done, failed,
            last_error, created_at, started_at, finished_at""";

    /** Longer than any step of a job, the broker's replay of its retained journal included. */
    static final int STALE_AFTER_MINUTES = 10;

    @PersistenceContext(unitName = "notify")
    EntityManager em;

    public record Job(UUID id, String kind, String source, String target, JsonObject selection, int ratePerSecond,
                      String status, Integer total, int done, int failed, String lastError, OffsetDateTime createdAt,
                      OffsetDateTime startedAt, OffsetDateTime finishedAt) {
    }

    public UUID create(String kind, String source, String target, String selectionJson, int ratePerSecond) {
        UUID id = UUID.randomUUID();
        em.createNativeQuery("""
                        INSERT INTO admin_job (job_id, kind, source, target, selection, rate_per_second, status)
                        VALUES (?1, ?2, ?3, ?4, CAST(?5 AS jsonb), ?6, 'running')""")
                .setParameter(1, id)
                .setParameter(2, kind)
                .setParameter(3, source)
                .setParameter(4, target)
                .setParameter(5, selectionJson)
                .setParameter(6, ratePerSecond)
                .executeUpdate();
        return id;
    }

    /** The job has listed what it will work through. */
    public void started(UUID id, int total) {
        update(id, "total = ?2, started_at = now()", total);
    }

    public void progress(UUID id, int done, int failed, String lastError) {
        update(id, "done = ?2, failed = ?3, last_error = CAST(?4 AS text)", done, failed, lastError);
    }

    public void finish(UUID id, boolean completed, String lastError) {
        update(id, "status = ?2, last_error = coalesce(CAST(?3 AS text), last_error), finished_at = now()",
                completed ? "completed" : "failed", lastError);
    }

    /**
     * Whether a job of the kind is running: one that made progress lately. A job whose instance
     * stopped stays {@code running} in its row, but stops counting once it has been still for
     * {@link #STALE_AFTER_MINUTES}.
     */
    public boolean running(String kind) {
        return !em.createNativeQuery("""
                        SELECT 1 FROM admin_job WHERE kind = ?1 AND status = 'running'
                        AND updated_at > now() - make_interval(mins => ?2)""")
                .setParameter(1, kind)
                .setParameter(2, STALE_AFTER_MINUTES)
                .setMaxResults(1)
                .getResultList().isEmpty();
    }

    public Optional<Job> find(UUID id) {
        return jobs("WHERE job_id = ?1", id, 1).stream().findFirst();
    }

    /** The newest jobs first. */
    public List<Job> recent(int limit) {
        return jobs("", null, limit);
    }

    private List<Job> jobs(String where, UUID id, int limit) {
        Query query = em.createNativeQuery("SELECT " + COLUMNS + " FROM admin_job " + where + " ORDER BY created_at DESC")
                .setMaxResults(limit);
        if (id != null) {
            query.setParameter(1, id);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(row -> new Job((UUID) row[0], (String) row[1], (String) row[2], (String) row[3],
                JSON.createReader(new StringReader((String) row[4])).readObject(), ((Number) row[5]).intValue(), (String) row[6],
                row[7] == null ? null : ((Number) row[7]).intValue(), ((Number) row[8]).intValue(),
                ((Number) row[9]).intValue(), (String) row[10], Timestamps.offset(row[11]), Timestamps.offset(row[12]),
                Timestamps.offset(row[13]))).toList();
    }

    /** ?1 is the job, ?2 on the values in their order. */
    private void update(UUID id, String assignments, Object... values) {
        Query update = em.createNativeQuery("UPDATE admin_job SET updated_at = now(), " + assignments + " WHERE job_id = ?1")
                .setParameter(1, id);
        for (int i = 0; i < values.length; i++) {
            update.setParameter(i + 2, values[i]);
        }
        update.executeUpdate();
    }
}
