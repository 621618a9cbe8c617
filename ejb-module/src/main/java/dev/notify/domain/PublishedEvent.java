package dev.notify.domain;

import static dev.notify.domain.JsonApi.JSON;

import java.time.OffsetDateTime;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * An event as upstream services publish it (snake_case JSON on the wire, see {@code WireJson}).
 *
 * @param eventId   unique; the key of duplicate detection at the broker and of dedup in consumers
 * @param eventType one of {@link EventType}, whose required fields the payload must hold
 * @param userId    the ordering key: a user's events are delivered in the broker's order
 * @param timestamp the producer's clock; informational, never used for ordering
 * @param payload   the type's data
 * @param metadata  optional: trace id, source, ...
 */
@PayloadFitsType
public record PublishedEvent(
        @NotBlank @Size(max = 200) @Pattern(regexp = EVENT_ID, message = "may hold only letters, digits and . _ : -")
        String eventId,
        @NotBlank @KnownEventType
        String eventType,
        @UserId
        String userId,
        @NotNull @Storable
        OffsetDateTime timestamp,
        @NotNull @Storable
        JsonObject payload,
        @Storable
        JsonObject metadata) {

    /** What an event id may hold: safe in URLs, headers and logs. */
    static final String EVENT_ID = "[A-Za-z0-9._:-]+";

    /** Where a producer names the trace the event belongs to. */
    public static final String TRACE_ID = "trace_id";

    /** The trace the event belongs to, from its metadata; null when it names none. */
    public String traceId() {
        return metadata != null && metadata.get(TRACE_ID) instanceof JsonString traceId ? traceId.getString() : null;
    }

    /** The same event in this trace (a traceparent header's), unless its metadata names one already. */
    public PublishedEvent inTrace(String traceId) {
        if (traceId() != null || traceId == null) {
            return this;
        }
        JsonObjectBuilder traced = metadata == null ? JSON.createObjectBuilder() : JSON.createObjectBuilder(metadata);
        return new PublishedEvent(eventId, eventType, userId, timestamp, payload, traced.add(TRACE_ID, traceId).build());
    }

    /** The same event without its payload, for a message that refers to the stored one instead. */
    public PublishedEvent withoutPayload() {
        return new PublishedEvent(eventId, eventType, userId, timestamp, null, metadata);
    }
}
