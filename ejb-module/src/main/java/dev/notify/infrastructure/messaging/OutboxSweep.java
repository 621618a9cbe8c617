package dev.notify.infrastructure.messaging;

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

import dev.notify.infrastructure.transactions.PeriodicTasks;

/** The outbox relay's sweep, every interval from the start: what no commit set off is sent so. */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // each batch has its own (OutboxBatchPublisher)
public class OutboxSweep {

    @Inject
    OutboxRelay relay;

    @Inject
    PeriodicTasks tasks;

    @Resource
    TimerService timers;

    @PostConstruct
    void schedule() {
        Duration interval = relay.sweepInterval();
        // not persistent: every instance sweeps; locked rows keep two from sending the same message
        timers.createIntervalTimer(interval.toMillis(), interval.toMillis(), new TimerConfig("outbox sweep", false));
    }

    @Timeout
    void sweep() {
        tasks.run("outbox-sweep", relay::sweep);
    }
}
