package dev.notify.persistence;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** One failed attempt of a consumer on an event, kept when the attempt itself rolls back. */
@Entity
@Table(name = "delivery_failure")
@NamedQuery(name = DeliveryFailureRecord.OF_CONSUMER_AND_EVENT, query = """
        SELECT f FROM DeliveryFailureRecord f WHERE f.eventId = :eventId AND f.consumer = :consumer
        ORDER BY f.failedAt, f.id""")
public class DeliveryFailureRecord {

    public static final String OF_CONSUMER_AND_EVENT = "DeliveryFailureRecord.ofConsumerAndEvent";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "consumer", nullable = false, updatable = false)
    private String consumer;

    @Column(name = "event_id", nullable = false, updatable = false)
    private String eventId;

    @Column(name = "attempt", nullable = false, updatable = false)
    private int attempt;

    @Column(name = "failed_at", nullable = false, insertable = false, updatable = false)
    private OffsetDateTime failedAt;

    @Column(name = "reason", nullable = false, updatable = false)
    private String reason;

    protected DeliveryFailureRecord() {
    }

    public DeliveryFailureRecord(String consumer, String eventId, int attempt, String reason) {
        this.consumer = consumer;
        this.eventId = eventId;
        this.attempt = attempt;
        this.reason = FailureReasons.cut(reason);
    }

    public String getConsumer() {
        return consumer;
    }

    public String getEventId() {
        return eventId;
    }

    public int getAttempt() {
        return attempt;
    }

    public OffsetDateTime getFailedAt() {
        return failedAt;
    }

    public String getReason() {
        return reason;
    }
}
