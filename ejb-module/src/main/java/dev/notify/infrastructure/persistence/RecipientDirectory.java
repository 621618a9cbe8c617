package dev.notify.infrastructure.persistence;

import static dev.notify.domain.JsonApi.JSON;

import java.io.StringReader;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonString;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import dev.notify.domain.Channel;
import dev.notify.domain.EventType;
import dev.notify.domain.Preferences;
import dev.notify.domain.RecipientDetails;
import dev.notify.persistence.ChannelPreferenceRecord;
import dev.notify.persistence.RecipientRecord;

/** Recipients and their channel preferences. Runs in the caller's transaction. */
@ApplicationScoped
public class RecipientDirectory {

    @PersistenceContext(unitName = "notify")
    EntityManager em;

    /**
     * Creates or replaces a recipient; true when it was created. Native: one statement that cannot
     * fail on a concurrent creation (ON CONFLICT) and tells which it did.
     */
    public boolean save(String userId, RecipientDetails details) {
        // xmax = 0 only on a row this statement inserted
        return (Boolean) em.createNativeQuery("""
                        INSERT INTO recipient (user_id, email, phone, push_tokens, locale)
                        VALUES (?1, ?2, ?3, CAST(?4 AS jsonb), ?5)
                        ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, phone = EXCLUDED.phone,
                            push_tokens = EXCLUDED.push_tokens, locale = EXCLUDED.locale, updated_at = now()
                        RETURNING (xmax = 0)""")
                .setParameter(1, userId)
                .setParameter(2, details.email())
                .setParameter(3, details.phone())
                .setParameter(4, jsonArray(details.pushTokens()))
                .setParameter(5, details.locale())
                .getSingleResult();
    }

    public Optional<RecipientRecord> find(String userId) {
        return Optional.ofNullable(em.find(RecipientRecord.class, userId));
    }

    /** Forgets the recipient and their preferences; false when there was none. */
    public boolean delete(String userId) {
        return em.createNamedQuery(RecipientRecord.DELETE).setParameter("userId", userId).executeUpdate() == 1;
    }

    /** Replaces the user's choices: event types not in them go back to their defaults. */
    public void savePreferences(String userId, Preferences preferences) {
        em.createNamedQuery(ChannelPreferenceRecord.DELETE_OF_USER).setParameter("userId", userId).executeUpdate();
        preferences.chosen().forEach((type, channels) -> em.persist(new ChannelPreferenceRecord(userId, type.wireName(),
                jsonArray(channels.stream().map(Channel::wireName).toList()))));
    }

    public Preferences preferences(String userId) {
        Map<EventType, Set<Channel>> chosen = new EnumMap<>(EventType.class);
        em.createNamedQuery(ChannelPreferenceRecord.OF_USER, ChannelPreferenceRecord.class)
                .setParameter("userId", userId)
                .getResultList().stream()
                // a type no longer in the registry is ignored, not an error
                .forEach(choice -> EventType.fromWireName(choice.getEventType())
                        .ifPresent(type -> chosen.put(type, channels(choice.getChannels()))));
        return new Preferences(chosen);
    }

    private static Set<Channel> channels(String json) {
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        JSON.createReader(new StringReader(json)).readArray().getValuesAs(JsonString.class)
                .forEach(name -> Channel.fromWireName(name.getString()).ifPresent(channels::add));
        return channels;
    }

    private static String jsonArray(List<String> values) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        values.forEach(array::add);
        return array.build().toString();
    }
}
