package dev.notify.interfaces.rest;

import static dev.notify.domain.JsonApi.JSON;

import java.io.StringReader;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonStructure;

import dev.notify.domain.Channel;
import dev.notify.domain.EventType;
import dev.notify.domain.Preferences;
import dev.notify.infrastructure.persistence.ActivityTimeline;
import dev.notify.infrastructure.persistence.NotificationStore;
import dev.notify.persistence.EventRecord;
import dev.notify.persistence.RecipientRecord;

/** The API's views of what it stores, in snake_case JSON. */
final class Representations {

    private Representations() {
    }

    /** An event, its processing state, and each of its notifications. */
    static JsonObject of(EventRecord event, List<NotificationStore.Summary> notifications) {
        JsonArrayBuilder list = JSON.createArrayBuilder();
        for (NotificationStore.Summary notification : notifications) {
            JsonObjectBuilder json = JSON.createObjectBuilder()
                    .add("notification_id", notification.notificationId().toString())
                    .add("channel", notification.channel())
                    .add("status", notification.status().wireName())
                    .add("attempts", notification.attempts());
            if (notification.lastError() != null) {
                json.add("last_error", notification.lastError());
            }
            addTime(json, "sent_at", notification.sentAt());
            list.add(json);
        }
        return JSON.createObjectBuilder(of(event)).add("notifications", list).build();
    }

    private static JsonObject of(EventRecord event) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("event_id", event.getEventId())
                .add("event_type", event.getEventType())
                .add("user_id", event.getUserId())
                .add("timestamp", time(event.getOccurredAt()))
                .add("payload", parse(event.getPayload()))
                .add("status", event.getStatus().wireName())
                .add("accepted_at", time(event.getAcceptedAt()));
        if (event.getMetadata() != null) {
            json.add("metadata", parse(event.getMetadata()));
        }
        addTime(json, "processed_at", event.getProcessedAt());
        return json.build();
    }

    static JsonObject of(RecipientRecord recipient) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("user_id", recipient.getUserId())
                .add("push_tokens", parse(recipient.getPushTokens()))
                .add("locale", recipient.getLocale())
                .add("updated_at", time(recipient.getUpdatedAt()));
        if (recipient.getEmail() != null) {
            json.add("email", recipient.getEmail());
        }
        if (recipient.getPhone() != null) {
            json.add("phone", recipient.getPhone());
        }
        return json.build();
    }

    /** Every event type with the channels it goes to, and whether those are the type's defaults. */
    static JsonObject of(String userId, Preferences preferences) {
        JsonObjectBuilder types = JSON.createObjectBuilder();
        for (EventType type : EventType.values()) {
            types.add(type.wireName(), JSON.createObjectBuilder()
                    .add("channels", channels(preferences.channelsFor(type)))
                    .add("default", preferences.isDefault(type)));
        }
        return JSON.createObjectBuilder().add("user_id", userId).add("event_types", types).build();
    }

    /** A page of a user's timeline, with the link to the next (older) one when there may be more. */
    static JsonObject of(String userId, List<ActivityTimeline.Entry> page, URI next) {
        JsonArrayBuilder events = JSON.createArrayBuilder();
        page.forEach(entry -> events.add(JSON.createObjectBuilder()
                .add("event_id", entry.eventId())
                .add("event_type", entry.eventType())
                .add("timestamp", time(entry.occurredAt()))
                .add("recorded_at", time(entry.recordedAt()))));
        JsonObjectBuilder json = JSON.createObjectBuilder().add("user_id", userId).add("events", events);
        if (next != null) {
            json.add("next", next.toString());
        }
        return json.build();
    }

    static JsonArray eventTypes() {
        JsonArrayBuilder types = JSON.createArrayBuilder();
        for (EventType type : EventType.values()) {
            types.add(JSON.createObjectBuilder()
                    .add("event_type", type.wireName())
                    .add("required_payload_fields", JSON.createArrayBuilder(type.requiredPayloadFields()))
                    .add("default_channels", channels(type.defaultChannels())));
        }
        return types.build();
    }

    private static JsonArray channels(Iterable<Channel> channels) {
        JsonArrayBuilder names = JSON.createArrayBuilder();
        channels.forEach(channel -> names.add(channel.wireName()));
        return names.build();
    }

    private static void addTime(JsonObjectBuilder json, String name, OffsetDateTime time) {
        if (time != null) {
            json.add(name, time(time));
        }
    }

    /** Always with seconds: {@code toString()} leaves out zero seconds (08:00Z), which some clients do not read. */
    private static String time(OffsetDateTime time) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
    }

    private static JsonStructure parse(String json) {
        return JSON.createReader(new StringReader(json)).read();
    }
}
