package dev.notify.persistence;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A user the service notifies. Written with a native upsert (RecipientDirectory), read through JPA;
 * deleting one deletes their channel preferences with it (the foreign key's ON DELETE CASCADE).
 */
@Entity
@Table(name = "recipient")
@NamedQuery(name = RecipientRecord.DELETE, query = "DELETE FROM RecipientRecord r WHERE r.userId = :userId")
public class RecipientRecord {

    public static final String DELETE = "RecipientRecord.delete";

    @Id
    @Column(name = "user_id")
    private String userId;

    @Column(name = "email")
    private String email;

    @Column(name = "phone")
    private String phone;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "push_tokens", nullable = false)
    private String pushTokens;

    @Column(name = "locale", nullable = false)
    private String locale;

    @Column(name = "updated_at", nullable = false)
    private OffsetDateTime updatedAt;

    protected RecipientRecord() {
    }

    public String getUserId() {
        return userId;
    }

    public String getEmail() {
        return email;
    }

    public String getPhone() {
        return phone;
    }

    /** The device tokens as a JSON array. */
    public String getPushTokens() {
        return pushTokens;
    }

    public String getLocale() {
        return locale;
    }

    public OffsetDateTime getUpdatedAt() {
        return updatedAt;
    }
}
