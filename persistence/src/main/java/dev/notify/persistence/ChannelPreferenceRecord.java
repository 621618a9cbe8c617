package dev.notify.persistence;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The channels a user chose for an event type (none: the type is muted). Deleted with the recipient. */
@Entity
@Table(name = "channel_preference")
@IdClass(ChannelPreferenceRecord.Key.class)
@NamedQuery(name = ChannelPreferenceRecord.OF_USER, query = "SELECT p FROM ChannelPreferenceRecord p WHERE p.userId = :userId")
@NamedQuery(name = ChannelPreferenceRecord.DELETE_OF_USER, query = "DELETE FROM ChannelPreferenceRecord p WHERE p.userId = :userId")
public class ChannelPreferenceRecord {

    public static final String OF_USER = "ChannelPreferenceRecord.ofUser";
    public static final String DELETE_OF_USER = "ChannelPreferenceRecord.deleteOfUser";

    @Id
    @Column(name = "user_id")
    private String userId;

    @Id
    @Column(name = "event_type")
    private String eventType;

    /** A JSON array of the channels' wire names, as JSON text (as every JSON column here: no JSON mapper needed on any server). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "channels", nullable = false)
    private String channels;

    protected ChannelPreferenceRecord() {
    }

    public ChannelPreferenceRecord(String userId, String eventType, String channels) {
        this.userId = userId;
        this.eventType = eventType;
        this.channels = channels;
    }

    public String getUserId() {
        return userId;
    }

    public String getEventType() {
        return eventType;
    }

    public String getChannels() {
        return channels;
    }

    /** The user and the event type. */
    public static class Key implements Serializable {
        private String userId;
        private String eventType;

        protected Key() {
        }

        public Key(String userId, String eventType) {
            this.userId = userId;
            this.eventType = eventType;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && userId.equals(key.userId) && eventType.equals(key.eventType);
        }

        @Override
        public int hashCode() {
            return Objects.hash(userId, eventType);
        }
    }
}
