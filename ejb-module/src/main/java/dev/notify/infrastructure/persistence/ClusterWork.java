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
        return takeExpired(lease, instance, duration);
    }

    private boolean takeExpired(String lease, String owner, Duration duration) {
        OffsetDateTime now = OffsetDateTime.now();
        return em.createNamedQuery(LeaseRecord.TAKE_EXPIRED)
                .setParameter("name", lease)
                .setParameter("owner", owner)
                .setParameter("until", now.plus(duration))
                .setParameter("now", now)
                .executeUpdate() == 1;
    }

    /** The lease that the instance running under this instance's name holds. */
    private String identityLease() {
        return "instance:" + instance;
    }

    /**
     * Takes this instance's name for {@code duration}, as the running process {@code boot}, if no
     * other process holds it: true when taken. The lease's row is made on first use.
     */
    public boolean takeIdentity(String boot, Duration duration) {
        // native: an upsert; the row of a name's first start
        em.createNativeQuery("INSERT INTO lease (name, expires_at) VALUES (?1, now()) ON CONFLICT (name) DO NOTHING")
                .setParameter(1, identityLease())
                .executeUpdate();
        return takeExpired(identityLease(), boot, duration);
    }

    /** When the name's lease expires, as its holder last renewed it. */
    public OffsetDateTime identityExpiry() {
        return em.find(LeaseRecord.class, identityLease()).getExpiresAt();
    }

    /** Extends process {@code boot}'s hold on this instance's name; false when it lost it. */
    public boolean renewIdentity(String boot, Duration duration) {
        return em.createNamedQuery(LeaseRecord.RENEW)
                .setParameter("name", identityLease())
                .setParameter("owner", boot)
                .setParameter("until", OffsetDateTime.now().plus(duration))
                .executeUpdate() == 1;
    }

    /** Lets the name go at a clean stop: the next start under it need not wait for the lease to run out. */
    public void releaseIdentity(String boot) {
        renewIdentity(boot, Duration.ZERO);
    }
}
