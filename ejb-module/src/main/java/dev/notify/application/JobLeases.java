package dev.notify.application;

import java.time.Duration;

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

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.notify.infrastructure.transactions.PeriodicTasks;

/**
 * Keeps every admin job running on one instance: renews the leases of the jobs this instance runs,
 * and takes over those whose instance stopped, and this instance's own after a restart. A timer of
 * its own, not persistent: every instance keeps its jobs' leases.
 */
@Singleton
@Startup
@DependsOn("InstanceIdentity") // no job is taken over under a name that is not this instance's own
public class JobLeases {

    /**
     * How long a job's instance may go without renewing the lease before another takes the job
     * over: renewed six times in it, so that a pause of the instance (a collection, a slow
     * database) does not lose it.
     */
    @Inject
    @ConfigProperty(name = "notify.jobs.lease", defaultValue = "PT30S")
    Duration lease;

    @Inject
    ReplayJobs jobs;

    @Inject
    PeriodicTasks tasks;

    @Resource
    TimerService timers;

    @PostConstruct
    void schedule() {
        long every = lease.toMillis() / 6;
        timers.createIntervalTimer(every, every, new TimerConfig("admin job leases", false));
    }

    /** Each change commits on its own: a job taken over is resumed only once the database says it is ours. */
    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void keep() {
        tasks.run("job-leases", () -> {
            jobs.renewLeases();
            jobs.resumeAbandoned(lease);
        });
    }
}
