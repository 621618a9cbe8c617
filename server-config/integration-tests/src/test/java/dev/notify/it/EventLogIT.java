package dev.notify.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.stream.JsonParsingException;

import org.junit.jupiter.api.Test;

/**
 * The server's log as JSON lines, read from the file each server writes (it.server.log): one event
 * followed from publishing to its channel and to its dead letter by its event_id and trace_id.
 */
class EventLogIT extends DeployedService {

    private static final Duration DEAD_LETTERED = Duration.ofSeconds(60);

    @Test
    void anEventIsFollowedByItsTraceFromPublishingToItsChannel() {
        String userId = smsOnlyRecipient("it-log-");
        String traceId = newTraceId();
        JsonObject event = paymentFailed(userId).add("metadata", Json.createObjectBuilder().add("trace_id", traceId)).build();

        assertEquals(202, api.publish(event).status());
        await().atMost(Duration.ofSeconds(30)).until(() -> notificationStatus(event).equals("sent"));
        String notificationId = notificationId(event);

        List<JsonObject> lines = awaitLines(event, 3);
        lines.forEach(line -> {
            assertEquals(traceId, field(line, "trace_id"), line.toString());
            assertEquals(userId, field(line, "user_id"), line.toString());
        });
        assertTrue(lines.stream().anyMatch(line -> message(line).contains("accepted")), lines.toString());
        assertTrue(lines.stream().anyMatch(line -> message(line).equals("Routed to sms")
                && notificationId.equals(field(line, "notification_id"))), lines.toString());
        assertTrue(lines.stream().anyMatch(line -> message(line).contains("sent")
                && notificationId.equals(field(line, "notification_id")) && "sms".equals(field(line, "channel"))), lines.toString());
    }

    @Test
    void aTraceparentHeaderNamesTheTraceOfAnEventWithoutOne() {
        String userId = smsOnlyRecipient("it-log-");
        String traceId = newTraceId();
        JsonObject event = paymentFailed(userId).build();

        Api.Response published = api.send("POST", "events",
                Map.of("Content-Type", "application/json", Api.API_KEY, System.getenv("NOTIFY_PUBLISHER_API_KEY"),
                        "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"),
                event.toString().getBytes(StandardCharsets.UTF_8));

        assertEquals(202, published.status(), published.body());
        assertEquals(traceId, published.json().getJsonObject("metadata").getString("trace_id"), "the event records its trace");
        await().atMost(Duration.ofSeconds(30)).until(() -> notificationStatus(event).equals("sent"));
        awaitLines(event, 3).forEach(line -> assertEquals(traceId, field(line, "trace_id"), line.toString()));
    }

    @Test
    void aDeadLetterIsLoggedWithItsEventAndNotification() {
        String userId = smsOnlyRecipient("it-log-");
        String traceId = newTraceId();
        JsonObject event = paymentFailed(userId).add("metadata", Json.createObjectBuilder().add("trace_id", traceId)).build();
        TestInfrastructure.sinks().failNext("sms", "503", 5);

        assertEquals(202, api.publish(event).status());
        await().atMost(DEAD_LETTERED).until(() -> notificationStatus(event).equals("dead-lettered"));
        String notificationId = notificationId(event);

        await("the dead letter's line").atMost(Duration.ofSeconds(30)).until(() -> linesOf(event).stream()
                .anyMatch(line -> message(line).startsWith("Dead-lettered") && notificationId.equals(field(line, "notification_id"))
                        && traceId.equals(field(line, "trace_id"))));
    }

    private static JsonObjectBuilder paymentFailed(String userId) {
        return Api.event("payment.failed", Json.createObjectBuilder().add("payment_id", "p-log")).add("user_id", userId);
    }

    /** A W3C trace id: 32 lower-case hex digits. */
    private static String newTraceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private String notificationId(JsonObject event) {
        return api.get("events/" + event.getString("event_id")).json().getJsonArray("notifications")
                .getJsonObject(0).getString("notification_id");
    }

    private static List<JsonObject> awaitLines(JsonObject event, int atLeast) {
        return await("the event's log lines").atMost(Duration.ofSeconds(30))
                .until(() -> linesOf(event), lines -> lines.size() >= atLeast);
    }

    /** The log's JSON lines about the event. */
    private static List<JsonObject> linesOf(JsonObject event) {
        String eventId = event.getString("event_id");
        try (var lines = Files.lines(Path.of(System.getProperty("it.server.log")), StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.startsWith("{") && line.contains(eventId))
                    .map(EventLogIT::parse)
                    .filter(line -> eventId.equals(field(line, "event_id")))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonObject parse(String line) {
        try {
            return Json.createReader(new StringReader(line)).readObject();
        } catch (JsonParsingException e) {
            return Json.createObjectBuilder().build();
        }
    }

    /** A field of a line: at its top on Payara, in its "mdc" on WildFly. */
    private static String field(JsonObject line, String name) {
        JsonObject fields = line.containsKey(name) || !line.containsKey("mdc") ? line : line.getJsonObject("mdc");
        return fields.containsKey(name) ? fields.getString(name) : null;
    }

    /** The message of a line: "LogMessage" on Payara, "message" on WildFly. */
    private static String message(JsonObject line) {
        return line.containsKey("LogMessage") ? line.getString("LogMessage") : line.getString("message", "");
    }
}
