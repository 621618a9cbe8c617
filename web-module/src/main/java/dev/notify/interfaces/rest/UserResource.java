package dev.notify.interfaces.rest;

import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.notify.domain.FieldError;
import dev.notify.domain.InvalidFieldsException;
import dev.notify.domain.Preferences;
import dev.notify.domain.RecipientDetails;
import dev.notify.domain.UserId;
import dev.notify.domain.WireJson;
import dev.notify.infrastructure.persistence.ActivityTimeline;
import dev.notify.infrastructure.persistence.RecipientDirectory;

/** The recipients of notifications: how to reach them, and on which channels for which events. */
@Path("users/{userId}")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    static final int MAX_PAGE_SIZE = 100;

    @Inject
    ActivityTimeline timeline;

    @Inject
    RecipientDirectory directory;

    @Inject
    RequestBodies bodies;

    @PathParam("userId")
    String pathUserId;

    @Context
    UriInfo uriInfo;

    /** Creates (201) or replaces (200) the recipient. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    public Response save(@HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) {
        RecipientDetails details = WireJson.read(bodies.read(contentLength, body), RecipientDetails.class);
        boolean created = directory.save(userId(), details);
        JsonObject recipient = Representations.of(directory.find(userId()).orElseThrow());
        return created
                ? Response.created(uriInfo.getAbsolutePath()).entity(recipient).build()
                : Response.ok(recipient).build();
    }

    @GET
    public JsonObject find() {
        return Representations.of(directory.find(userId()).orElseThrow(this::unknownUser));
    }

    @DELETE
    @Transactional
    public Response delete() {
        if (!directory.delete(userId())) {
            throw unknownUser();
        }
        return Response.noContent().build();
    }

    @GET
    @Path("preferences")
    public JsonObject preferences() {
        requireRecipient();
        return Representations.of(userId(), directory.preferences(userId()));
    }

    /** Replaces the choices: event types left out go back to their default channels. */
    @PUT
    @Path("preferences")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    public JsonObject savePreferences(@HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) {
        Preferences preferences = Preferences.fromWire(WireJson.readObject(bodies.read(contentLength, body)));
        requireRecipient();
        directory.savePreferences(userId(), preferences);
        return Representations.of(userId(), preferences);
    }

    /**
     * The user's events, newest first (in the order the broker delivered them), a page at a time:
     * {@code next} links to the older ones.
     */
    @GET
    @Path("events")
    public JsonObject timeline(@QueryParam("before") String beforeParameter, @QueryParam("limit") String limitParameter) {
        List<FieldError> errors = new ArrayList<>();
        Long before = RequestFields.number("before", beforeParameter, null, 0, Long.MAX_VALUE, errors);
        int limit = RequestFields.number("limit", limitParameter, 20L, 1, MAX_PAGE_SIZE, errors).intValue();
        if (!errors.isEmpty()) {
            throw new InvalidFieldsException(errors);
        }
        List<ActivityTimeline.Entry> page = timeline.page(userId(), before, limit);
        URI next = page.size() < limit ? null : uriInfo.getAbsolutePathBuilder()
                .queryParam("before", page.get(page.size() - 1).position())
                .queryParam("limit", limit)
                .build();
        return Representations.of(userId(), page, next);
    }

    /** The user id of the URL, which keeps the rules of an event's {@code user_id}: 422 when it breaks one. */
    private String userId() {
        return WireJson.requireValid(new Recipient(pathUserId)).userId();
    }

    record Recipient(@UserId String userId) {
    }

    private void requireRecipient() {
        if (directory.find(userId()).isEmpty()) {
            throw unknownUser();
        }
    }

    private NotFoundException unknownUser() {
        return new NotFoundException("no recipient with user_id '" + userId() + "'; create it with PUT first");
    }
}
