package dev.notify.interfaces.rest;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.notify.application.ReplayJobs;
import dev.notify.domain.FieldError;
import dev.notify.domain.InvalidFieldsException;
import dev.notify.domain.WireJson;
import dev.notify.infrastructure.messaging.Messaging;
import dev.notify.infrastructure.persistence.AdminJobs;

/**
 * Reprocessing, as a log-based broker offers it: the events published in a time range, from the
 * broker's retained journal, delivered again to one subscription. Its consumer processes them
 * again without repeating a notification.
 */
@Path("admin/history-replays")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class HistoryReplayResource {

    static final List<String> SUBSCRIPTIONS = List.of(Messaging.ROUTER_SUBSCRIPTION, Messaging.ACTIVITY_SUBSCRIPTION);
    static final int DEFAULT_RATE = 10;

    @Inject
    ReplayJobs replays;

    @Inject
    AdminJobs jobs;

    @Inject
    RequestBodies bodies;

    @Context
    UriInfo uriInfo;

    /** What to replay into which subscription, and how fast. */
    public record HistoryReplay(@NotNull String subscription, @NotNull String from, @NotNull String to,
                                @Min(1) @Max(DeadLetterResource.MAX_RETRY_RATE) Integer ratePerSecond) {
    }

    /** 202 with the job's URL, or 409 while another history replay runs. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(@HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) {
        HistoryReplay request = WireJson.read(bodies.read(contentLength, body), HistoryReplay.class);
        List<FieldError> errors = new ArrayList<>();
        if (!SUBSCRIPTIONS.contains(request.subscription())) {
            errors.add(new FieldError("subscription", "must be one of " + SUBSCRIPTIONS));
        }
        Instant from = RequestFields.instant("from", request.from(), errors);
        Instant to = RequestFields.instant("to", request.to(), errors);
        if (errors.isEmpty() && !from.isBefore(to)) {
            errors.add(new FieldError("to", "must be after from"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidFieldsException(errors);
        }
        UUID job = replays.replayHistory(request.subscription(), from, to,
                request.ratePerSecond() == null ? DEFAULT_RATE : request.ratePerSecond());
        return JobResource.accepted(jobs, uriInfo, job);
    }
}
