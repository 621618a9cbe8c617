package dev.notify.persistence;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A named lease that one instance of the service holds at a time, until it expires: how work that
 * must run once in a cluster (the dedup pruning) is claimed through the shared database. Taken by
 * a conditional update (ClusterWork in the ejb module): of two instances, the second finds it
 * taken. Times are the instances' clocks, which must agree (NTP) to well within a lease.
 */
@Entity
@Table(name = "lease")
@NamedQuery(name = LeaseRecord.TAKE_EXPIRED, query = """
        UPDATE LeaseRecord l SET l.owner = :owner, l.expiresAt = :until
        WHERE l.name = :name AND l.expiresAt <= :now""")
@NamedQuery(name = LeaseRecord.RENEW, query = """
        UPDATE LeaseRecord l SET l.expiresAt = :until WHERE l.name = :name AND l.owner = :owner""")
public class LeaseRecord {

    /** Gives lease {@code :name} to {@code :owner} until {@code :until} if it expired by {@code :now}. */
    public static final String TAKE_EXPIRED = "LeaseRecord.takeExpired";
    /** Extends {@code :owner}'s lease {@code :name} until {@code :until}; nothing when another holds it. */
    public static final String RENEW = "LeaseRecord.renew";

    @Id
    @Column(name = "name")
    private String name;

    @Column(name = "owner")
    private String owner;

    @Column(name = "expires_at", nullable = false)
    private OffsetDateTime expiresAt;

    protected LeaseRecord() {
    }

    public String getName() {
        return name;
    }

    public String getOwner() {
        return owner;
    }

    public OffsetDateTime getExpiresAt() {
        return expiresAt;
    }
}
