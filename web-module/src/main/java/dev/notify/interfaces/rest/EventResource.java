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
import dev.notify.domain.FieldError;
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
     * {@code rejected} with the problem.
     */
    @POST
    @Path("batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional
    public JsonObject publishBatch(@HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) {
        JsonValue events = WireJson.readObject(bodies.readBatch(contentLength, body)).get("events");
        if (events == null || events.getValueType() != JsonValue.ValueType.ARRAY || events.asJsonArray().isEmpty()) {
            throw new InvalidFieldsException(List.of(new FieldError("events", "must be an array of 1 to " + MAX_BATCH_SIZE + " events")));
        }
        if (events.asJsonArray().size() > MAX_BATCH_SIZE) {
            throw new InvalidFieldsException(List.of(new FieldError("events",
                    "holds " + events.asJsonArray().size() + " events; a batch takes at most " + MAX_BATCH_SIZE)));
        }
        List<JsonObjectBuilder> results = new ArrayList<>();
        List<PublishedEvent> valid = new ArrayList<>();
        List<JsonObjectBuilder> validResults = new ArrayList<>();
        for (JsonValue item : events.asJsonArray()) {
            JsonObjectBuilder result = JSON.createObjectBuilder();
            results.add(result);
            readItem(item, result).ifPresent(event -> {
                valid.add(event);
                validResults.add(result);
            });
        }
        List<Optional<EventRecord>> accepted = intake.accept(valid);
        for (int i = 0; i < valid.size(); i++) {
            validResults.get(i).add("status", accepted.get(i).isPresent() ? "accepted" : "duplicate")
                    .add("location", location(valid.get(i).eventId()).toString());
        }
        JsonArrayBuilder answer = JSON.createArrayBuilder();
        results.forEach(answer::add);
        return JSON.createObjectBuilder().add("results", answer).build();
    }

    /** An item of a batch as an event; or nothing, with the item's result made {@code rejected} with its problem. */
    private Optional<PublishedEvent> readItem(JsonValue item, JsonObjectBuilder result) {
        if (item.getValueType() == JsonValue.ValueType.OBJECT && item.asJsonObject().get("event_id") instanceof JsonString id) {
            result.add("event_id", id.getString());
        }
        String json = item.toString();
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
