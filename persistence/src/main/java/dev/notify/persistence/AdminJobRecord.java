package dev.notify.persistence;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An operator's job: a bulk retry of dead letters or a replay of history. Each change commits at
 * once, as a JPQL update (AdminJobs in the ejb module), so that its progress shows while it runs,
 * on every instance. One instance runs it, its {@code owner}, which renews the lease with
 * {@code heartbeatAt}; another takes it over when the heartbeat stops, and changes made under a
 * lost lease are refused.
 */
@Entity
@Table(name = "admin_job")
@NamedQuery(name = AdminJobRecord.RECENT, query = "SELECT j FROM AdminJobRecord j ORDER BY j.createdAt DESC")
@NamedQuery(name = AdminJobRecord.RUNNING, query = """
        SELECT j.id FROM AdminJobRecord j WHERE j.kind = :kind AND j.status = 'running'""")
@NamedQuery(name = AdminJobRecord.TO_TAKE_OVER, query = """
        SELECT j FROM AdminJobRecord j
        WHERE j.status = 'running' AND (j.heartbeatAt < :staleBefore OR j.owner = :owner)
        ORDER BY j.createdAt""")
public class AdminJobRecord {

    public static final String RECENT = "AdminJobRecord.recent";
    /** The running jobs of a {@code :kind}. */
    public static final String RUNNING = "AdminJobRecord.running";
    /**
     * The running jobs that {@code :owner} may take: those whose lease ran out before
     * {@code :staleBefore}, and its own (which it runs or resumes).
     */
    public static final String TO_TAKE_OVER = "AdminJobRecord.toTakeOver";

    @Id
    @Column(name = "job_id")
    private UUID id;

    @Column(name = "kind", nullable = false, updatable = false)
    private String kind;

    /** The dead-letter queue, or the address replayed. */
    @Column(name = "source", nullable = false, updatable = false)
    private String source;

    /** The subscription a history replay feeds. */
    @Column(name = "target", updatable = false)
    private String target;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "selection", nullable = false, updatable = false)
    private String selection;

    @Column(name = "rate_per_second", nullable = false, updatable = false)
    private int ratePerSecond;

    @Column(name = "status", nullable = false)
    private String status;

    /** Known once the job has listed its messages. */
    @Column(name = "total")
    private Integer total;

    @Column(name = "done", nullable = false)
    private int done;

    @Column(name = "failed", nullable = false)
    private int failed;

    @Column(name = "last_error")
    private String lastError;

    /** The database's clock, as for every time of a job: the instances compare them. */
    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    private OffsetDateTime createdAt;

    @Column(name = "started_at")
    private OffsetDateTime startedAt;

    @Column(name = "updated_at", nullable = false, insertable = false)
    private OffsetDateTime updatedAt;

    @Column(name = "finished_at")
    private OffsetDateTime finishedAt;

    /** The instance that runs it (its NOTIFY_INSTANCE_ID). */
    @Column(name = "owner")
    private String owner;

    /** When its owner last renewed the lease, by the owner's clock. */
    @Column(name = "heartbeat_at", nullable = false, insertable = false, updatable = false)
    private OffsetDateTime heartbeatAt;

    /** A dead-letter retry's newest listed message (the broker's id): it takes none newer when resumed. */
    @Column(name = "last_message_id", updatable = false)
    private Long lastMessageId;

    protected AdminJobRecord() {
    }

    public AdminJobRecord(UUID id, String kind, String source, String target, String selection, int ratePerSecond, String owner) {
        this.id = id;
        this.kind = kind;
        this.source = source;
        this.target = target;
        this.selection = selection;
        this.ratePerSecond = ratePerSecond;
        this.status = "running";
        this.owner = owner;
    }

    public UUID getId() {
        return id;
    }

    public String getKind() {
        return kind;
    }

    public String getSource() {
        return source;
    }

    public String getTarget() {
        return target;
    }

    public String getSelection() {
        return selection;
    }

    public int getRatePerSecond() {
        return ratePerSecond;
    }

    public String getStatus() {
        return status;
    }

    public Integer getTotal() {
        return total;
    }

    public int getDone() {
        return done;
    }

    public int getFailed() {
        return failed;
    }

    public String getLastError() {
        return lastError;
    }

    public OffsetDateTime getCreatedAt() {
        return createdAt;
    }

    public OffsetDateTime getStartedAt() {
        return startedAt;
    }

    public OffsetDateTime getFinishedAt() {
        return finishedAt;
    }

    public String getOwner() {
        return owner;
    }

    public OffsetDateTime getHeartbeatAt() {
        return heartbeatAt;
    }

    public Long getLastMessageId() {
        return lastMessageId;
    }
}
