package dev.notify.interfaces.rest;

import static dev.notify.domain.JsonApi.JSON;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.notify.application.EventIntake;
import dev.notify.domain.InvalidFieldsException;
import dev.notify.domain.MalformedJsonException;
import dev.notify.domain.PublishedEvent;
import dev.notify.domain.TraceContext;
import dev.notify.domain.WireJson;
import dev.notify.infrastructure.monitoring.Metrics;
import dev.notify.infrastructure.persistence.EventStore;
import dev.notify.persistence.EventRecord;
import dev.notify.infrastructure.persistence.NotificationStore;

/** Where upstream services publish events, and where anyone can ask what became of one. */
@Path("events")
@RequestScoped
public class EventResource {

    static final int MAX_BATCH_SIZE = 500;

    @Inject
    EventStore store;

    @Inject
    EventIntake intake;

    @Inject
    NotificationStore notifications;

    @Inject
    RequestBodies bodies;

    @Inject
    Metrics metrics;

    @Context
    UriInfo uriInfo;

    /** The caller's W3C trace, for events whose metadata names no trace_id. */
    @HeaderParam(TraceContext.TRACEPARENT)
    String traceparent;

    /**
     * Accepts an event: its record and its message commit together. Publishing the same event id
     * again changes nothing and answers as the first time did.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional
    public Response publish(@HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) {
        PublishedEvent event = read(bodies.read(contentLength, body));
        // a new event has no notifications yet: its message leaves when this transaction commits
        JsonObject representation = intake.accept(event).map(accepted -> Representations.of(accepted, List.of()))
                .orElseGet(() -> representation(store.find(event.eventId()).orElseThrow()));
        return Response.accepted(representation)
                .location(location(event.eventId()))
                .build();
    }

    /**
     * Accepts up to {@value #MAX_BATCH_SIZE} events, {@code {"events": [...]}}, in one transaction:
     * every valid event of the batch is recorded and sent, or none is. Each item gets its result,
     * in the batch's order: {@code accepted}, {@code duplicate} (already known), or
     * {@code rejected} with the problem. The body is read as it arrives, and its events are
     * recorded a chunk at a time: the heap never holds the whole body.
     */
    @POST
    @Path("batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional
    public JsonObject publishBatch(@HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) {
        List<JsonObjectBuilder> results = new ArrayList<>();
        Chunk chunk = new Chunk();
        try {
            BatchEvents.forEach(bodies.batch(contentLength, body), MAX_BATCH_SIZE, item -> {
                JsonObjectBuilder result = JSON.createObjectBuilder();
                results.add(result);
                String json = item.toString();
                readItem(item, json, result).ifPresent(event -> chunk.add(event, json.length(), result));
            });
        } catch (MalformedJsonException | InvalidFieldsException e) {
            bodies.discardRest(body);
            throw e;
        }
        chunk.accept();
        JsonArrayBuilder answer = JSON.createArrayBuilder();
        results.forEach(answer::add);
        return JSON.createObjectBuilder().add("results", answer).build();
    }

    /**
     * A batch's valid events not recorded yet: recorded together (EventIntake) once there are
     * {@value #CHUNK_EVENTS} of them or {@value #CHUNK_CHARS} characters of JSON, and at the end.
     */
    private final class Chunk {
        static final int CHUNK_EVENTS = 100;
        static final int CHUNK_CHARS = 1 << 20;

        private final List<PublishedEvent> events = new ArrayList<>();
        private final List<JsonObjectBuilder> results = new ArrayList<>();
        private int chars;

        void add(PublishedEvent event, int jsonChars, JsonObjectBuilder result) {
            events.add(event);
            results.add(result);
            chars += jsonChars;
            if (events.size() >= CHUNK_EVENTS || chars >= CHUNK_CHARS) {
                accept();
            }
        }

        void accept() {
            List<Optional<EventRecord>> accepted = intake.accept(events);
            for (int i = 0; i < events.size(); i++) {
                results.get(i).add("status", accepted.get(i).isPresent() ? "accepted" : "duplicate")
                        .add("location", location(events.get(i).eventId()).toString());
            }
            events.clear();
            results.clear();
            chars = 0;
        }
    }

    /** An item of a batch as an event; or nothing, with the item's result made {@code rejected} with its problem. */
    private Optional<PublishedEvent> readItem(JsonValue item, String json, JsonObjectBuilder result) {
        if (item.getValueType() == JsonValue.ValueType.OBJECT && item.asJsonObject().get("event_id") instanceof JsonString id) {
            result.add("event_id", id.getString());
        }
        if (json.getBytes(StandardCharsets.UTF_8).length > bodies.maxBodyBytes()) {
            metrics.event(Metrics.EventOutcome.REJECTED);
            result.add("status", "rejected")
                    .add("problem", Problem.json(413, "the event is larger than the limit of " + bodies.maxBodyBytes() + " bytes", List.of()));
            return Optional.empty();
        }
        try {
            return Optional.of(read(json));
        } catch (MalformedJsonException e) {
            result.add("status", "rejected").add("problem", Problem.json(400, e.getMessage(), List.of()));
        } catch (InvalidFieldsException e) {
            result.add("status", "rejected").add("problem", Problem.json(422, e.getMessage(), e.errors()));
        }
        return Optional.empty();
    }

    /** An event as published; one that is malformed or invalid is counted as rejected. */
    private PublishedEvent read(String json) {
        try {
            return WireJson.read(json, PublishedEvent.class).inTrace(TraceContext.traceIdOf(traceparent).orElse(null));
        } catch (MalformedJsonException | InvalidFieldsException e) {
            metrics.event(Metrics.EventOutcome.REJECTED);
            throw e;
        }
    }

    private JsonObject representation(EventRecord event) {
        return Representations.of(event, notifications.ofEvent(event.getEventId()));
    }

    private URI location(String eventId) {
        return uriInfo.getBaseUriBuilder().path(EventResource.class).path(eventId).build();
    }

    @GET
    @Path("{eventId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response status(@PathParam("eventId") String eventId) {
        if (!WireJson.fits(PublishedEvent.class, "eventId", eventId)) {
            throw new NotFoundException("no event with event_id '" + eventId + "'; an event id holds only letters, digits and . _ : -");
        }
        return store.find(eventId)
                .map(event -> Response.ok(representation(event)).build())
                .orElseThrow(() -> new NotFoundException("no event with event_id '" + eventId + "'"));
    }
}
