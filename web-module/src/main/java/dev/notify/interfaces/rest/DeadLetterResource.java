package dev.notify.interfaces.rest;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.notify.application.DeadLetterAdmin;
import dev.notify.application.DeadLetterAdmin.Selection;
import dev.notify.application.ReplayJobs;
import dev.notify.domain.FieldError;
import dev.notify.domain.InvalidFieldsException;
import dev.notify.domain.WireJson;
import dev.notify.infrastructure.persistence.AdminJobs;

/**
 * The dead-letter queues, for operators: browse with filters, inspect one message with the reason
 * of each failed attempt, send messages back to the queue they died in, or remove them.
 */
@Path("admin/dead-letters/{queue}")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    static final int MAX_PAGE_SIZE = 200;
    static final int DEFAULT_RETRY_RATE = 10;
    static final int MAX_RETRY_RATE = 1000;

    @Inject
    DeadLetterAdmin admin;

    @Inject
    ReplayJobs jobs;

    @Inject
    AdminJobs adminJobs;

    @Inject
    RequestBodies bodies;

    @Context
    UriInfo uriInfo;

    @PathParam("queue")
    String queue;

    @GET
    public String list(@QueryParam("event_type") String eventType, @QueryParam("user_id") String userId,
                       @QueryParam("original_queue") String originalQueue, @QueryParam("from") String from,
                       @QueryParam("to") String to, @QueryParam("page") String pageParameter,
                       @QueryParam("size") String sizeParameter) {
        List<FieldError> errors = new ArrayList<>();
        int page = RequestFields.number("page", pageParameter, 1L, 1, Integer.MAX_VALUE, errors).intValue();
        int size = RequestFields.number("size", sizeParameter, 50L, 1, MAX_PAGE_SIZE, errors).intValue();
        Selection selection = selection(eventType, userId, originalQueue, from, to, errors);
        return WireJson.write(admin.list(knownQueue(), selection, page, size));
    }

    @GET
    @Path("{id}")
    public String find(@PathParam("id") String id) {
        return WireJson.write(admin.find(knownQueue(), id).orElseThrow(() -> noSuchMessage(id)));
    }

    @POST
    @Path("{id}/retry")
    public Response retry(@PathParam("id") String id) {
        if (!admin.retry(knownQueue(), id)) {
            throw noSuchMessage(id);
        }
        return Response.noContent().build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        if (!admin.delete(knownQueue(), id)) {
            throw noSuchMessage(id);
        }
        return Response.noContent().build();
    }

    /** Removes a selection, or with {@code all=true} and no filter, everything (purge). */
    @DELETE
    public String deleteSelection(@QueryParam("event_type") String eventType, @QueryParam("user_id") String userId,
                                  @QueryParam("original_queue") String originalQueue, @QueryParam("from") String from,
                                  @QueryParam("to") String to, @QueryParam("all") boolean all) {
        List<FieldError> errors = new ArrayList<>();
        Selection selection = selection(eventType, userId, originalQueue, from, to, errors);
        requireSelectionOrAll(selection, all);
        return WireJson.write(new Deleted(admin.delete(knownQueue(), selection)));
    }

    /**
     * Sends the selected dead letters (or with {@code all}, every one) back to their original
     * queues as a job at a steady rate: 202 with the job's URL, where its progress shows.
     */
    @POST
    @Path("retries")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response retryMany(@HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) {
        BulkRetry request = WireJson.read(bodies.read(contentLength, body), BulkRetry.class);
        Selection selection = selection(request.eventType(), request.userId(), request.originalQueue(), request.from(),
                request.to(), new ArrayList<>());
        requireSelectionOrAll(selection, Boolean.TRUE.equals(request.all()));
        int rate = request.ratePerSecond() == null ? DEFAULT_RETRY_RATE : request.ratePerSecond();
        UUID job = jobs.retryDeadLetters(knownQueue(), selection, rate);
        return JobResource.accepted(adminJobs, uriInfo, job);
    }

    /** What to retry and how fast; the selection fields are those of the listing. */
    public record BulkRetry(String eventType, String userId, String originalQueue, String from, String to, Boolean all,
                            @Min(1) @Max(MAX_RETRY_RATE) Integer ratePerSecond) {
    }

    public record Deleted(int deleted) {
    }

    /** Everything is touched only when asked for in so many words. */
    private static void requireSelectionOrAll(Selection selection, boolean all) {
        if (selection.equals(Selection.ALL) != all) {
            throw new InvalidFieldsException(List.of(new FieldError("all",
                    "give either a filter (event_type, user_id, original_queue, from, to) or all=true for every message")));
        }
    }

    /** The selection the query parameters make; a field error for each one that cannot be read. */
    static Selection selection(String eventType, String userId, String originalQueue, String from, String to,
                               List<FieldError> errors) {
        Selection selection = new Selection(blankToNull(eventType), blankToNull(userId), blankToNull(originalQueue),
                RequestFields.instant("from", from, errors), RequestFields.instant("to", to, errors));
        if (!errors.isEmpty()) {
            throw new InvalidFieldsException(errors);
        }
        return selection;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private String knownQueue() {
        if (!DeadLetterAdmin.DEAD_LETTER_QUEUES.contains(queue)) {
            throw new NotFoundException("no dead-letter queue '" + queue + "'; there are " + DeadLetterAdmin.DEAD_LETTER_QUEUES);
        }
        return queue;
    }

    private NotFoundException noSuchMessage(String id) {
        return new NotFoundException("no message " + id + " in " + queue);
    }
}
