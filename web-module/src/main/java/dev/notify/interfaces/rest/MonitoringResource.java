package dev.notify.interfaces.rest;

import static dev.notify.domain.JsonApi.JSON;

import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.notify.application.DeadLetterAdmin;
import dev.notify.application.DeadLetterAdmin.Destination;
import dev.notify.application.QueueMetrics;

/**
 * What monitoring polls: a dead-letter alert (503 while a dead-letter queue holds more than its
 * threshold, in MicroProfile Health's shape, from the broker's statistics at the time of the
 * request) and the metrics in Prometheus' text format.
 */
@Path("admin")
@RequestScoped
public class MonitoringResource {

    @Inject
    DeadLetterAdmin admin;

    @Inject
    QueueMetrics queueMetrics;

    @Inject
    @ConfigProperty(name = "notify.dead-letters.alert-threshold", defaultValue = "0")
    long threshold;

    @GET
    @Path("health")
    @Produces(MediaType.APPLICATION_JSON)
    public Response health() {
        JsonArrayBuilder checks = JSON.createArrayBuilder();
        boolean up = true;
        for (Destination queue : deadLetterQueues()) {
            boolean below = queue.messages() <= threshold;
            up &= below;
            checks.add(JSON.createObjectBuilder()
                    .add("name", "dead-letters " + queue.name())
                    .add("status", below ? "UP" : "DOWN")
                    .add("data", JSON.createObjectBuilder().add("messages", queue.messages()).add("threshold", threshold)));
        }
        return Response.status(up ? 200 : 503)
                .entity(JSON.createObjectBuilder().add("status", up ? "UP" : "DOWN").add("checks", checks).build().toString())
                .build();
    }

    /** Every metric in Prometheus' text format (QueueMetrics). */
    @GET
    @Path("metrics")
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    public String metrics() {
        return queueMetrics.scrape();
    }

    private List<Destination> deadLetterQueues() {
        return admin.destinations().stream().filter(queue -> DeadLetterAdmin.DEAD_LETTER_QUEUES.contains(queue.name())).toList();
    }
}
