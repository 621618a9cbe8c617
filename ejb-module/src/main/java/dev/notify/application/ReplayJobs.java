package dev.notify.application;

import static dev.notify.domain.JsonApi.JSON;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;

import dev.notify.application.DeadLetterAdmin.Selection;
import dev.notify.domain.WireJson;
import dev.notify.infrastructure.messaging.BrokerManagement;
import dev.notify.infrastructure.messaging.Failures;
import dev.notify.infrastructure.messaging.HistoryReplayMover;
import dev.notify.infrastructure.messaging.Messaging;
import dev.notify.infrastructure.persistence.AdminJobs;
import dev.notify.infrastructure.persistence.AdminJobs.LeaseLost;
import dev.notify.infrastructure.persistence.ClusterWork;
import dev.notify.persistence.AdminJobRecord;

/**
 * Replays of many messages, run as jobs on the server's managed executor at a rate the operator
 * sets, so that a replay does not flood the workers. Progress is kept in the database as it goes.
 * One instance runs a job, under a lease it renews (AdminJobs); when that instance stops, another,
 * or the same one started again, takes the job over and resumes it from its recorded progress
 * ({@link JobLeases}). A message is never handed on twice: what a job has done has left the queue
 * it works through.
 */
@ApplicationScoped
public class ReplayJobs {

    public static final String DEAD_LETTER_RETRY = "dead-letter-retry";
    public static final String HISTORY_REPLAY = "history-replay";

    /** How often a running job writes its progress: often enough for a progress bar. */
    private static final Duration REPORT_INTERVAL = Duration.ofMillis(250);

    private static final Logger LOG = Logger.getLogger(ReplayJobs.class.getName());

    @Inject
    ClusterWork cluster;

    @Resource
    ManagedExecutorService executor;

    @Inject
    AdminJobs jobs;

    @Inject
    DeadLetterAdmin admin;

    @Inject
    BrokerManagement broker;

    @Inject
    HistoryReplayMover mover;

    /** The jobs running on this instance now, whose leases it renews. */
    private final Set<UUID> runningHere = ConcurrentHashMap.newKeySet();

    /** How far a job had got when it was taken over; nothing for a new one. */
    private record Recorded(Integer total, int done, int failed, Long lastMessageId) {

        static final Recorded NOTHING = new Recorded(null, 0, 0, null);

        static Recorded of(AdminJobRecord job) {
            return new Recorded(job.getTotal(), job.getDone(), job.getFailed(), job.getLastMessageId());
        }

        boolean listed() {
            return total != null;
        }
    }

    /** Starts sending the selected dead letters back to their original queues; the job's id. */
    public UUID retryDeadLetters(String queue, Selection selection, int ratePerSecond) {
        UUID id = UUID.randomUUID();
        start(id, () -> jobs.create(id, DEAD_LETTER_RETRY, queue, null, WireJson.write(selection), ratePerSecond, cluster.instance()),
                () -> retryDeadLetters(id, queue, selection, ratePerSecond, Recorded.NOTHING));
        return id;
    }

    /**
     * Starts a history replay: the broker re-sends the events published in [from, to) that its
     * journal retention still holds (original publications only, not earlier replays or retries) to
     * the staging queue, and the job hands them to the subscription at the rate. One at a time.
     *
     * @throws ReplayInProgress when another history replay is running
     */
    public UUID replayHistory(String subscription, Instant from, Instant to, int ratePerSecond) {
        ReplayInProgress inProgress = new ReplayInProgress("a history replay is running; wait for it to finish (see admin/jobs)");
        if (jobs.running(HISTORY_REPLAY)) {
            throw inProgress;
        }
        String selection = JSON.createObjectBuilder().add("from", from.toString()).add("to", to.toString()).build().toString();
        UUID id = UUID.randomUUID();
        try {
            start(id, () -> jobs.create(id, HISTORY_REPLAY, Messaging.EVENTS_TOPIC, subscription, selection, ratePerSecond,
                    cluster.instance()), () -> replayHistory(id, subscription, from, to, ratePerSecond, Recorded.NOTHING));
        } catch (RuntimeException e) {
            // another request passed the check at the same moment: the database's constraint took one of the two
            if (jobs.running(HISTORY_REPLAY)) {
                throw inProgress;
            }
            throw e;
        }
        return id;
    }

    /**
     * Records a new job and runs it here. It counts as running here before its row commits: the
     * job leases' round would otherwise find this instance's new job not running here, and take it
     * over as abandoned, a second run beside the first.
     */
    private void start(UUID id, Runnable record, Runnable work) {
        runningHere.add(id);
        try {
            record.run();
        } catch (RuntimeException e) {
            runningHere.remove(id);
            throw e;
        }
        run(id, work);
    }

    /** Renews the leases of the jobs running here. */
    public void renewLeases() {
        jobs.heartbeat(cluster.instance(), Set.copyOf(runningHere));
    }

    /**
     * Takes over and resumes the jobs whose instance stopped ({@code lease} ago or longer without a
     * heartbeat), and this instance's own that it does not run (it was restarted).
     */
    public void resumeAbandoned(Duration lease) {
        for (AdminJobRecord job : jobs.takeOver(cluster.instance(), OffsetDateTime.now().minus(lease), Set.copyOf(runningHere))) {
            LOG.info(() -> "Resuming job " + job.getId() + " (" + job.getKind() + ", " + job.getDone() + " of " + job.getTotal()
                    + " done when it was last recorded)");
            Recorded recorded = Recorded.of(job);
            JsonObject selection = WireJson.readObject(job.getSelection());
            run(job.getId(), switch (job.getKind()) {
                case DEAD_LETTER_RETRY -> () -> retryDeadLetters(job.getId(), job.getSource(),
                        WireJson.read(job.getSelection(), Selection.class), job.getRatePerSecond(), recorded);
                case HISTORY_REPLAY -> () -> replayHistory(job.getId(), job.getTarget(), Instant.parse(selection.getString("from")),
                        Instant.parse(selection.getString("to")), job.getRatePerSecond(), recorded);
                default -> throw new IllegalStateException("no job of kind " + job.getKind());
            });
        }
    }

    /**
     * Works through the selected dead letters, oldest first. Resumed, it takes those of its listing
     * that the queue still holds: the others were retried before it stopped.
     */
    private void retryDeadLetters(UUID id, String queue, Selection selection, int ratePerSecond, Recorded recorded) {
        List<Long> listed = admin.messageIds(queue, selection);
        List<Long> toRetry = listed;
        if (!recorded.listed()) {
            jobs.started(id, cluster.instance(), listed.size(), listed.isEmpty() ? null : Collections.max(listed));
        } else {
            toRetry = listed.stream().filter(messageId -> recorded.lastMessageId() != null && messageId <= recorded.lastMessageId()).toList();
        }
        ProgressReport report = new ProgressReport(id, recorded, toRetry.size(), "message(s) had left the queue before their turn");
        RatePacer pacer = new RatePacer(ratePerSecond, System::nanoTime);
        try (BrokerManagement.Conversation management = broker.open()) {
            for (long messageId : toRetry) {
                pause(pacer.delayBeforeNextStep());
                report.step(DeadLetterAdmin.retryByBrokerId(management, queue, messageId));
            }
        }
        report.now(true);
    }

    /**
     * Has the broker stage the events of [from, to), then hands them on. Resumed after they were
     * staged, it goes on with what the staging queue still holds.
     */
    private void replayHistory(UUID id, String subscription, Instant from, Instant to, int ratePerSecond, Recorded recorded) {
        String staging = BrokerManagement.queue(Messaging.REPLAY_STAGING);
        if (!recorded.listed()) {
            broker.invoke(staging, "removeMessages", "");
            broker.invoke(BrokerManagement.address(Messaging.EVENTS_TOPIC), "replay", Messaging.REPLAY_STAGING,
                    "AMQTimestamp >= " + from.toEpochMilli() + " AND AMQTimestamp < " + to.toEpochMilli()
                            + " AND " + Messaging.ORIGINAL_QUEUE + " IS NULL AND " + Messaging.REPLAY_JOB + " IS NULL");
            jobs.started(id, cluster.instance(), staged(staging), null);
        }
        ProgressReport report = new ProgressReport(id, recorded, staged(staging), "message(s) were not events (not text)");
        RatePacer pacer = new RatePacer(ratePerSecond, System::nanoTime);
        while (true) {
            pause(pacer.delayBeforeNextStep());
            HistoryReplayMover.Outcome outcome = mover.moveNext(subscription, id);
            if (outcome == HistoryReplayMover.Outcome.NONE_LEFT) {
                break;
            }
            report.step(outcome == HistoryReplayMover.Outcome.MOVED);
        }
        report.now(true);
    }

    private int staged(String staging) {
        return ((JsonNumber) broker.invoke(staging, "countMessages")).intValue();
    }

    /** Another job of the kind is running. */
    public static class ReplayInProgress extends RuntimeException {
        public ReplayInProgress(String message) {
            super(message);
        }
    }

    /** A job's counts, written to its row at most every {@link #REPORT_INTERVAL}, and at the end. */
    private final class ProgressReport {
        private final UUID job;
        private final String whatFailed;
        private int done;
        private int failed;
        private long lastWritten = System.nanoTime();

        /**
         * Counting on from what was recorded; of a job taken over, what is neither left nor counted
         * failed was done (steps after its last report included). {@code whatFailed} says what a
         * failed step was, after its count.
         */
        ProgressReport(UUID job, Recorded recorded, int left, String whatFailed) {
            this.job = job;
            this.whatFailed = whatFailed;
            this.failed = recorded.failed();
            this.done = recorded.listed() ? Math.max(recorded.done(), recorded.total() - recorded.failed() - left) : 0;
        }

        /** Counts one step, done or failed, and writes the counts when it is time. */
        void step(boolean succeeded) {
            if (succeeded) {
                done++;
            } else {
                failed++;
            }
            now(false);
        }

        /** Writes the counts when it is time, or when {@code last}. */
        void now(boolean last) {
            if (last || System.nanoTime() - lastWritten >= REPORT_INTERVAL.toNanos()) {
                jobs.progress(job, cluster.instance(), done, failed, failed == 0 ? null : failed + " " + whatFailed);
                lastWritten = System.nanoTime();
            }
        }
    }

    /**
     * Runs the job on the managed executor, and records how it ended. One this instance stops
     * before the end stays running, for whichever instance takes it over; one taken over meanwhile
     * is left to its new owner.
     */
    private void run(UUID id, Runnable work) {
        runningHere.add(id);
        executor.execute(() -> {
            try {
                work.run();
                jobs.finish(id, cluster.instance(), true, null);
            } catch (LeaseLost e) {
                LOG.warning(e::getMessage);
            } catch (Stopping e) {
                LOG.info(() -> "Job " + id + " left running for resumption: the server is stopping");
            } catch (RuntimeException e) {
                LOG.warning(() -> "Job " + id + " failed: " + Failures.describe(e));
                jobs.finish(id, cluster.instance(), false, Failures.describe(e));
            } finally {
                runningHere.remove(id);
            }
        });
    }

    /** The server is stopping: the job stops where it is, and is resumed when an instance takes it over. */
    private static final class Stopping extends RuntimeException {
        Stopping(InterruptedException cause) {
            super("interrupted: the server is stopping", cause);
        }
    }

    private static void pause(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopping(e);
        }
    }
}
