package dev.notify.interfaces.rest;

import java.io.InputStream;
import java.net.URI;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
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

import dev.notify.application.WireJson;
import dev.notify.application.EventPublisher;
import dev.notify.domain.PublishedEvent;
import dev.notify.infrastructure.persistence.EventStore;

/** Where upstream services publish events, and where anyone can ask what became of one. */
@Path("events")
@RequestScoped
public class EventResource {

    @Inject
    EventStore store;

    @Inject
    EventPublisher publisher;

    @Inject
    RequestBodies bodies;

    @Context
    UriInfo uriInfo;

    /**
     * Accepts an event: its record and its message commit together. Publishing the same event id
     * again changes nothing and answers as the first time did.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional
    public Response publish(@HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) {
        PublishedEvent event = WireJson.read(bodies.read(contentLength, body), PublishedEvent.class);
        if (store.recordAccepted(event)) {
            publisher.publish(event);
        }
        URI location = uriInfo.getBaseUriBuilder().path(EventResource.class).path(event.eventId()).build();
        return Response.accepted(Representations.of(store.find(event.eventId()).orElseThrow()))
                .location(location)
                .build();
    }

    @GET
    @Path("{eventId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response status(@PathParam("eventId") String eventId) {
        return store.find(eventId)
                .map(event -> Response.ok(Representations.of(event)).build())
                .orElseThrow(() -> new NotFoundException("no event with event_id '" + eventId + "'"));
    }
}
