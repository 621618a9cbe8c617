package dev.notify.application;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.concurrent.ManagedExecutorService;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.notify.application.DeadLetterAdmin.Selection;
import dev.notify.infrastructure.persistence.AdminJobs;
import dev.notify.infrastructure.persistence.ClusterWork;
import dev.notify.infrastructure.persistence.TestDatabase;
import dev.notify.persistence.AdminJobRecord;

/**
 * A new admin job and the job leases' round, on a real PostgreSQL: the round that runs between the
 * commit of a new job's row and the job's start must not take the job over as abandoned by its own
 * instance (it did: a second run of the same job beside the first).
 */
class ReplayJobsTest {

    private static final TestDatabase DB = TestDatabase.shared();
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final ReplayJobs replayJobs = new ReplayJobs();
    private final List<UUID> takenOver = new ArrayList<>();
    private final List<Runnable> runs = new ArrayList<>();

    @BeforeEach
    void setUp() {
        DB.clear();
        replayJobs.cluster = new ClusterWork() {
            @Override
            public String instance() {
                return "notify-1";
            }
        };
        replayJobs.jobs = DB.adminJobs(new AdminJobs() {
            /** Committed on its own, as the server does, and the leases' round comes right after. */
            @Override
            public void create(UUID id, String kind, String source, String target, String selectionJson, int ratePerSecond,
                               String owner) {
                DB.transaction(() -> super.create(id, kind, source, target, selectionJson, ratePerSecond, owner));
                DB.transaction(() -> replayJobs.resumeAbandoned(LEASE));
            }

            @Override
            public List<AdminJobRecord> takeOver(String owner, OffsetDateTime staleBefore, Set<UUID> runningHere) {
                List<AdminJobRecord> taken = super.takeOver(owner, staleBefore, runningHere);
                taken.forEach(job -> takenOver.add(job.getId()));
                return taken;
            }
        });
        // the runs are counted, not run: the job's own work needs the broker
        replayJobs.executor = (ManagedExecutorService) Proxy.newProxyInstance(ManagedExecutorService.class.getClassLoader(),
                new Class<?>[] {ManagedExecutorService.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("execute")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    runs.add((Runnable) args[0]);
                    return null;
                });
    }

    @Test
    void aNewJobIsNotTakenOverByItsOwnInstanceBetweenItsCommitAndItsStart() {
        UUID id = replayJobs.retryDeadLetters("notification.sms", Selection.ALL, 10);

        assertEquals(List.of(), takenOver, "the leases' round took the new job over");
        assertEquals(1, runs.size(), "runs of job " + id);
    }

    @Test
    void aJobOfItsOwnInstanceThatItDoesNotRunIsTakenOver() {
        UUID id = replayJobs.retryDeadLetters("notification.sms", Selection.ALL, 10);
        ReplayJobs restarted = new ReplayJobs();
        restarted.cluster = replayJobs.cluster;
        restarted.jobs = replayJobs.jobs;
        restarted.executor = replayJobs.executor;

        DB.transaction(() -> restarted.resumeAbandoned(LEASE));

        assertEquals(List.of(id), takenOver, "after a restart the instance resumes its own job");
        assertEquals(2, runs.size());
    }
}
