package dev.notify.interfaces.rest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

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
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.notify.application.EventJson;
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
    @ConfigProperty(name = "notify.events.max-body-bytes", defaultValue = "1048576")
    int maxBodyBytes;

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
        PublishedEvent event = EventJson.read(readBody(contentLength, body));
        if (store.recordAccepted(event)) {
            publisher.publish(event);
        }
        URI location = uriInfo.getBaseUriBuilder().path(EventResource.class).path(event.eventId()).build();
        return Response.accepted(EventRepresentation.of(store.find(event.eventId()).orElseThrow()))
                .location(location)
                .build();
    }

    @GET
    @Path("{eventId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response status(@PathParam("eventId") String eventId) {
        return store.find(eventId)
                .map(event -> Response.ok(EventRepresentation.of(event)).build())
                .orElseThrow(() -> new NotFoundException("no event with event_id '" + eventId + "'"));
    }

    /** Reads at most the configured size, whatever the client declared. */
    private String readBody(Long contentLength, InputStream body) {
        if (contentLength != null && contentLength > maxBodyBytes) {
            throw tooLarge();
        }
        try {
            byte[] bytes = body.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                throw tooLarge();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WebApplicationException("the request body could not be read: " + e.getMessage(), 400);
        }
    }

    private WebApplicationException tooLarge() {
        return new WebApplicationException("the event is larger than the limit of " + maxBodyBytes + " bytes", 413);
    }
}
