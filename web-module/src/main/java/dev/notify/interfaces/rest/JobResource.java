package dev.notify.interfaces.rest;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.notify.domain.WireJson;
import dev.notify.infrastructure.persistence.AdminJobs;
import dev.notify.infrastructure.persistence.AdminJobs.Job;

/** Operator jobs (bulk retries, history replays) and how far each has got. */
@Path("admin/jobs")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    static final int LISTED = 50;

    @Inject
    AdminJobs jobs;

    /** The newest jobs first. */
    @GET
    public String recent() {
        return WireJson.write(jobs.recent(LISTED));
    }

    @GET
    @Path("{id}")
    public String find(@PathParam("id") String id) {
        return WireJson.write(find(jobs, parse(id)));
    }

    /** A job's id from a URL: one that is not a UUID names no job. */
    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no job " + id + "; a job's id is a UUID");
        }
    }

    static Job find(AdminJobs jobs, UUID id) {
        return jobs.find(id).orElseThrow(() -> new NotFoundException("no job " + id));
    }

    /** The answer to a request that started a job: 202, the job as it stands, and its URL. */
    static Response accepted(AdminJobs jobs, UriInfo uriInfo, UUID id) {
        return Response.accepted(WireJson.write(find(jobs, id)))
                .location(uriInfo.getBaseUriBuilder().path(JobResource.class).path(id.toString()).build())
                .build();
    }
}
