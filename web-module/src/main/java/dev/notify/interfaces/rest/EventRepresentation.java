package dev.notify.interfaces.rest;

import java.io.StringReader;
import java.time.OffsetDateTime;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;

import dev.notify.persistence.EventRecord;

/** The API's view of an event and its processing state. */
final class EventRepresentation {

    private EventRepresentation() {
    }

    static JsonObject of(EventRecord event) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("event_id", event.getEventId())
                .add("event_type", event.getEventType())
                .add("user_id", event.getUserId())
                .add("timestamp", event.getOccurredAt().toString())
                .add("payload", parse(event.getPayload()))
                .add("status", event.getStatus().wireName())
                .add("accepted_at", event.getAcceptedAt().toString());
        if (event.getMetadata() != null) {
            json.add("metadata", parse(event.getMetadata()));
        }
        addTime(json, "processed_at", event.getProcessedAt());
        return json.build();
    }

    private static void addTime(JsonObjectBuilder json, String name, OffsetDateTime time) {
        if (time != null) {
            json.add(name, time.toString());
        }
    }

    private static JsonObject parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}
