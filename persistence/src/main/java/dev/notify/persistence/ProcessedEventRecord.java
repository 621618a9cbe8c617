package dev.notify.persistence;

import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * An event a consumer has processed: the idempotent consumer's memory. Claimed with a native
 * {@code INSERT ... ON CONFLICT DO NOTHING} (EventStore in the ejb module), which tells in one
 * statement, without an exception that would doom the transaction, whether another delivery got
 * there first; forgotten after the retention (ProcessedEventPruner).
 */
@Entity
@Table(name = "processed_event")
@IdClass(ProcessedEventRecord.Key.class)
@NamedQuery(name = ProcessedEventRecord.FORGET_BEFORE, query = "DELETE FROM ProcessedEventRecord p WHERE p.processedAt < :before")
public class ProcessedEventRecord {

    public static final String FORGET_BEFORE = "ProcessedEventRecord.forgetBefore";

    @Id
    @Column(name = "consumer")
    private String consumer;

    @Id
    @Column(name = "event_id")
    private String eventId;

    @Column(name = "processed_at", nullable = false, insertable = false, updatable = false)
    private OffsetDateTime processedAt;

    protected ProcessedEventRecord() {
    }

    public String getConsumer() {
        return consumer;
    }

    public String getEventId() {
        return eventId;
    }

    public OffsetDateTime getProcessedAt() {
        return processedAt;
    }

    /** The consumer (its subscription or queue) and the event. */
    public static class Key implements Serializable {
        private String consumer;
        private String eventId;

        protected Key() {
        }

        public Key(String consumer, String eventId) {
            this.consumer = consumer;
            this.eventId = eventId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && consumer.equals(key.consumer) && eventId.equals(key.eventId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(consumer, eventId);
        }
    }
}
