package dev.notify.interfaces.rest;

import static dev.notify.domain.JsonApi.JSON;

import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

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
import dev.notify.infrastructure.persistence.Outbox;

/**
 * What monitoring polls: a dead-letter health check (503 while a dead-letter queue holds more
 * than its threshold, in MicroProfile Health's shape) and every queue's figures in Prometheus'
 * text format. Both come from the broker's own statistics at the time of the request, and the
 * outbox's depth from the database.
 */
@Path("admin")
@RequestScoped
public class MonitoringResource {

    @Inject
    DeadLetterAdmin admin;

    @Inject
    Outbox outbox;

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

    @GET
    @Path("metrics")
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    public String metrics() {
        List<Destination> queues = admin.destinations();
        StringBuilder text = new StringBuilder();
        gauge(text, queues, "notify_queue_messages", "Messages waiting or in flight, the consumers' lag", "gauge",
                Destination::messages);
        gauge(text, queues, "notify_queue_consumers", "Consumers attached", "gauge", Destination::consumers);
        gauge(text, queues, "notify_queue_delivering", "Messages delivered and not yet acknowledged", "gauge",
                Destination::delivering);
        gauge(text, queues, "notify_queue_messages_added_total", "Messages added since the broker started", "counter",
                Destination::added);
        gauge(text, queues, "notify_queue_messages_acknowledged_total", "Messages acknowledged since the broker started",
                "counter", Destination::acknowledged);
        gauge(text, queues, "notify_queue_messages_killed_total", "Messages dead-lettered by the broker since it started",
                "counter", Destination::killed);
        text.append("# HELP notify_queue_oldest_message_age_seconds Age of the oldest message, the lag in time\n")
                .append("# TYPE notify_queue_oldest_message_age_seconds gauge\n");
        for (Destination queue : queues) {
            sample(text, "notify_queue_oldest_message_age_seconds", queue,
                    queue.oldestMessageAgeMillis() == null ? "0" : String.format(Locale.ROOT, "%.3f", queue.oldestMessageAgeMillis() / 1000.0));
        }
        text.append("# HELP notify_outbox_messages Accepted events not yet sent to the broker\n")
                .append("# TYPE notify_outbox_messages gauge\n")
                .append("notify_outbox_messages ").append(outbox.backlog().messages()).append('\n');
        return text.toString();
    }

    private List<Destination> deadLetterQueues() {
        return admin.destinations().stream().filter(queue -> DeadLetterAdmin.DEAD_LETTER_QUEUES.contains(queue.name())).toList();
    }

    private static void gauge(StringBuilder text, List<Destination> queues, String name, String help, String type,
                              ToLongFunction<Destination> value) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (Destination queue : queues) {
            sample(text, name, queue, Long.toString(value.applyAsLong(queue)));
        }
    }

    private static void sample(StringBuilder text, String name, Destination queue, String value) {
        text.append(name).append("{queue=\"").append(queue.name()).append("\",kind=\"").append(queue.kind()).append("\"} ")
                .append(value).append('\n');
    }
}
