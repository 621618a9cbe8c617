package dev.notify.infrastructure.persistence;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.notify.infrastructure.transactions.PeriodicTasks;
import dev.notify.persistence.ProcessedEventRecord;

/**
 * Forgets processed event ids after the retention (default 7 days): the dedup table would
 * otherwise grow forever. A duplicate that arrives later than that is processed again, so the
 * retention must outlast any redelivery or replay. Once per interval in the cluster: every
 * instance's timer asks each minute (or each interval, when shorter), and the instance that finds
 * the pruning's lease expired takes it for the interval and prunes.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
public class ProcessedEventPruner {

    /** The lease that the instance pruning takes for the interval. */
    static final String LEASE = "prune-processed-events";

    private static final Logger LOG = Logger.getLogger(ProcessedEventPruner.class.getName());

    @Inject
    @ConfigProperty(name = "notify.dedup.retention", defaultValue = "P7D")
    Duration retention;

    @Inject
    @ConfigProperty(name = "notify.dedup.prune-interval", defaultValue = "PT1H")
    Duration interval;

    @Inject
    ClusterWork cluster;

    @Inject
    PeriodicTasks tasks;

    @Resource
    TimerService timers;

    @PersistenceContext(unitName = "notify")
    EntityManager em;

    @PostConstruct
    void schedule() {
        long every = Math.min(interval.toMillis(), Duration.ofMinutes(1).toMillis());
        timers.createIntervalTimer(every, every, new TimerConfig("prune processed event ids", false));
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void prune() {
        tasks.runInTransaction("dedup-pruning", this::pruneOnce);
    }

    private void pruneOnce() {
        if (!cluster.takeExpired(LEASE, interval)) {
            return;
        }
        int deleted = em.createNamedQuery(ProcessedEventRecord.FORGET_BEFORE)
                .setParameter("before", OffsetDateTime.now().minus(retention))
                .executeUpdate();
        if (deleted > 0) {
            LOG.info(() -> "Forgot " + deleted + " processed event id(s) older than " + retention);
        }
    }
}
