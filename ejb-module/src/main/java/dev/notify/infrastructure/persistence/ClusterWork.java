package dev.notify.infrastructure.persistence;

import java.time.Duration;
import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.notify.persistence.LeaseRecord;

/**
 * Work that runs once among the identical instances of the service, claimed through the shared
 * database: this instance's name, and the named leases (the admin jobs have theirs on their own
 * rows, in AdminJobs). Runs in the caller's transaction.
 */
@ApplicationScoped
public class ClusterWork {

    /**
     * This instance's name among the instances of the service (NOTIFY_INSTANCE_ID), unique to each
     * and the same after a restart: the owner of the jobs it runs, and on WildFly its transaction
     * node identifier.
     */
    @Inject
    @ConfigProperty(name = "notify.instance-id", defaultValue = "notify-1")
    String instance;

    @PersistenceContext(unitName = "notify")
    EntityManager em;

    public String instance() {
        return instance;
    }

    /**
     * Takes the lease for {@code duration} if it has expired: true for one instance of the cluster
     * per expiry. A periodic task taken so runs once per {@code duration} in the cluster.
     */
    public boolean takeExpired(String lease, Duration duration) {
        OffsetDateTime now = OffsetDateTime.now();
        return em.createNamedQuery(LeaseRecord.TAKE_EXPIRED)
                .setParameter("name", lease)
                .setParameter("owner", instance)
                .setParameter("until", now.plus(duration))
                .setParameter("now", now)
                .executeUpdate() == 1;
    }
}
