package dev.notify.application;

import static dev.notify.domain.JsonApi.JSON;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;

import dev.notify.application.DeadLetterAdmin.Selection;
import dev.notify.domain.WireJson;
import dev.notify.infrastructure.messaging.BrokerManagement;
import dev.notify.infrastructure.messaging.Failures;
import dev.notify.infrastructure.messaging.HistoryReplayMover;
import dev.notify.infrastructure.messaging.Messaging;
import dev.notify.infrastructure.persistence.AdminJobs;

/**
 * Replays of many messages, run as jobs on the server's managed executor at a rate the operator
 * sets, so that a replay does not flood the workers. Progress is kept in the database as it goes.
 * A job lives on the instance that started it; should that instance stop, the job stays
 * {@code running} with the progress it had.
 */
@ApplicationScoped
public class ReplayJobs {

    public static final String DEAD_LETTER_RETRY = "dead-letter-retry";
    public static final String HISTORY_REPLAY = "history-replay";

    /** How often a running job writes its progress: often enough for a progress bar. */
    private static final Duration REPORT_INTERVAL = Duration.ofMillis(250);

    private static final Logger LOG = Logger.getLogger(ReplayJobs.class.getName());

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

    /** Starts sending the selected dead letters back to their original queues; the job's id. */
    public UUID retryDeadLetters(String queue, Selection selection, int ratePerSecond) {
        UUID id = jobs.create(DEAD_LETTER_RETRY, queue, null, WireJson.write(selection), ratePerSecond);
        executor.execute(() -> run(id, () -> {
            List<Long> messageIds = admin.messageIds(queue, selection);
            jobs.started(id, messageIds.size());
            RatePacer pacer = new RatePacer(ratePerSecond, System::nanoTime);
            ProgressReport report = new ProgressReport(id, "message(s) had left the queue before their turn");
            try (BrokerManagement.Conversation management = broker.open()) {
                for (long messageId : messageIds) {
                    pause(pacer.delayBeforeNextStep());
                    report.step(DeadLetterAdmin.retryByBrokerId(management, queue, messageId));
                }
            }
            report.now(true);
        }));
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
        if (jobs.running(HISTORY_REPLAY)) {
            throw new ReplayInProgress("a history replay is running; wait for it to finish (see admin/jobs)");
        }
        String selection = JSON.createObjectBuilder().add("from", from.toString()).add("to", to.toString()).build().toString();
        UUID id = jobs.create(HISTORY_REPLAY, Messaging.EVENTS_TOPIC, subscription, selection, ratePerSecond);
        executor.execute(() -> run(id, () -> {
            String staging = BrokerManagement.queue(Messaging.REPLAY_STAGING);
            broker.invoke(staging, "removeMessages", "");
            broker.invoke(BrokerManagement.address(Messaging.EVENTS_TOPIC), "replay", Messaging.REPLAY_STAGING,
                    "AMQTimestamp >= " + from.toEpochMilli() + " AND AMQTimestamp < " + to.toEpochMilli()
                            + " AND " + Messaging.ORIGINAL_QUEUE + " IS NULL AND " + Messaging.REPLAY_JOB + " IS NULL");
            jobs.started(id, ((JsonNumber) broker.invoke(staging, "countMessages")).intValue());
            RatePacer pacer = new RatePacer(ratePerSecond, System::nanoTime);
            ProgressReport report = new ProgressReport(id, "message(s) were not events (not text)");
            while (true) {
                pause(pacer.delayBeforeNextStep());
                HistoryReplayMover.Outcome outcome = mover.moveNext(subscription, id);
                if (outcome == HistoryReplayMover.Outcome.NONE_LEFT) {
                    break;
                }
                report.step(outcome == HistoryReplayMover.Outcome.MOVED);
            }
            report.now(true);
        }));
        return id;
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

        /** {@code whatFailed} says what a failed step was, after its count. */
        ProgressReport(UUID job, String whatFailed) {
            this.job = job;
            this.whatFailed = whatFailed;
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
                jobs.progress(job, done, failed, failed == 0 ? null : failed + " " + whatFailed);
                lastWritten = System.nanoTime();
            }
        }
    }

    private void run(UUID id, Runnable work) {
        try {
            work.run();
            jobs.finish(id, true, null);
        } catch (RuntimeException e) {
            LOG.warning(() -> "Job " + id + " failed: " + Failures.describe(e));
            jobs.finish(id, false, Failures.describe(e));
        }
    }

    private static void pause(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: the server is stopping", e);
        }
    }
}
