package dev.notify.application;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
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

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.notify.infrastructure.persistence.ClusterWork;
import dev.notify.infrastructure.transactions.PeriodicTasks;
import dev.notify.infrastructure.transactions.SeparateTransaction;

/**
 * Makes this instance's name (NOTIFY_INSTANCE_ID) its own in the cluster: the name is its XA node
 * identifier and owns its admin jobs, so two processes under one name (two replicas left at the
 * default) would recover each other's transactions and run each other's jobs. At start it takes the
 * name's lease in the database and renews it with the job leases' rhythm; a second process under a
 * live name sees the lease renewed and does not start. One that starts after its predecessor died
 * waits for the dead one's lease to run out (at most NOTIFY_JOBS_LEASE).
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // each step commits on its own (SeparateTransaction)
public class InstanceIdentity {

    private static final Logger LOG = Logger.getLogger(InstanceIdentity.class.getName());

    @Inject
    @ConfigProperty(name = "notify.jobs.lease", defaultValue = "PT30S")
    Duration lease;

    @Inject
    ClusterWork cluster;

    @Inject
    SeparateTransaction separately;

    @Inject
    PeriodicTasks tasks;

    @Resource
    TimerService timers;

    /** This process, as the holder of the name's lease. */
    private final String boot = UUID.randomUUID().toString();

    @PostConstruct
    void claim() {
        OffsetDateTime deadline = OffsetDateTime.now().plus(lease).plusSeconds(5);
        OffsetDateTime firstSeen = null;
        while (!taken()) {
            OffsetDateTime expiry = separately.call(cluster::identityExpiry);
            if (firstSeen == null) {
                firstSeen = expiry;
                LOG.info(() -> "Waiting for the lease of the name " + cluster.instance() + " to run out (until " + expiry
                        + "): a process under this name, maybe this instance before a restart, held it");
            } else if (expiry.isAfter(firstSeen) || OffsetDateTime.now().isAfter(deadline)) {
                throw new IllegalStateException("Another instance runs as " + cluster.instance() + " (its lease was renewed until "
                        + expiry + "): give each instance a name of its own in NOTIFY_INSTANCE_ID");
            }
            pause();
        }
        long every = lease.toMillis() / 6;
        timers.createIntervalTimer(every, every, new TimerConfig("instance identity", false));
    }

    private boolean taken() {
        return separately.call(() -> cluster.takeIdentity(boot, lease));
    }

    @Timeout
    void renew() {
        tasks.runInTransaction("instance-identity", () -> {
            if (!cluster.renewIdentity(boot, lease)) {
                LOG.severe(() -> "This instance lost the lease of its name " + cluster.instance()
                        + " (a pause longer than NOTIFY_JOBS_LEASE, or a second instance under the same name)");
            }
        });
    }

    @PreDestroy
    void release() {
        try {
            separately.run(() -> cluster.releaseIdentity(boot));
        } catch (RuntimeException e) {
            LOG.info(() -> "The lease of the name " + cluster.instance() + " was not released (it runs out on its own): " + e);
        }
    }

    private static void pause() {
        try {
            TimeUnit.SECONDS.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the instance's name", e);
        }
    }
}
