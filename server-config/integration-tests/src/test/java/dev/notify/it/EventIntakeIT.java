package dev.notify.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

/** What a publisher sees of POST and GET /api/v1/events, errors included. */
class EventIntakeIT extends DeployedService {

    @Test
    void acceptedEventAnswers202WithItsLocationAndStatus() {
        JsonObject event = Api.event("order.placed", Json.createObjectBuilder().add("order_id", "o-1")).build();
        String eventId = event.getString("event_id");

        Api.Response response = api.publish(event);

        assertEquals(202, response.status(), response.body());
        assertTrue(response.location().endsWith("/api/v1/events/" + eventId), response.location());
        assertEquals(eventId, response.json().getString("event_id"));
        assertTrue(List.of("accepted", "processed").contains(response.json().getString("status")));
        Api.Response status = api.get("events/" + eventId);
        assertEquals(200, status.status());
        assertEquals("o-1", status.json().getJsonObject("payload").getString("order_id"));
        assertEquals("integration-test", status.json().getJsonObject("metadata").getString("source"));
    }

    @Test
    void timesAreWrittenWithTheirSeconds() {
        JsonObject event = Json.createObjectBuilder(Api.event("order.placed", Json.createObjectBuilder().add("order_id", "o-1")).build())
                .add("timestamp", "2026-11-27T08:00:00Z").build();

        Api.Response accepted = api.publish(event);

        assertEquals(202, accepted.status(), accepted.body());
        assertEquals("2026-11-27T08:00:00Z", accepted.json().getString("timestamp"));
        assertEquals("2026-11-27T08:00:00Z", api.get("events/" + event.getString("event_id")).json().getString("timestamp"));
    }

    @Test
    void batchAnswersEachItemInOrder() {
        JsonObject first = Api.event("order.placed", Json.createObjectBuilder().add("order_id", "o-1")).build();
        JsonObject known = Api.event("payment.failed", Json.createObjectBuilder().add("payment_id", "p-1")).build();
        assertEquals(202, api.publish(known).status());
        JsonObject invalid = Api.event("order.placed", Json.createObjectBuilder()).build();
        String batch = Json.createObjectBuilder().add("events", Json.createArrayBuilder()
                .add(first).add(known).add(invalid).add("not an event").add(first)).build().toString();

        Api.Response response = api.post("events/batch", "application/json", batch);

        assertEquals(200, response.status(), response.body());
        List<JsonObject> results = response.json().getJsonArray("results").getValuesAs(JsonObject.class);
        assertEquals(List.of("accepted", "duplicate", "rejected", "rejected", "duplicate"),
                results.stream().map(result -> result.getString("status")).toList());
        assertEquals(first.getString("event_id"), results.get(0).getString("event_id"));
        assertTrue(results.get(0).getString("location").endsWith("/api/v1/events/" + first.getString("event_id")));
        assertEquals(422, results.get(2).getJsonObject("problem").getInt("status"));
        assertEquals("payload.order_id", results.get(2).getJsonObject("problem").getJsonArray("errors")
                .getJsonObject(0).getString("field"));
        assertEquals(400, results.get(3).getJsonObject("problem").getInt("status"));
        assertEquals(200, api.get("events/" + first.getString("event_id")).status());
        assertProblem(api.get("events/" + invalid.getString("event_id")), 404);
    }

    @Test
    void batchOfMoreThan500EventsIsRejectedWhole() {
        List<JsonObject> events = orders(501);

        Api.Response response = api.post("events/batch", "application/json",
                Json.createObjectBuilder().add("events", Json.createArrayBuilder(events)).build().toString());

        assertProblem(response, 422);
        assertEquals(List.of("events"), fields(response));
        // its events are recorded a chunk at a time as the body is read: the refusal rolls them back
        assertProblem(api.get("events/" + events.get(0).getString("event_id")), 404);
    }

    @Test
    void batchLongerThanAChunkAnswersEachItemInOrder() {
        List<JsonObject> events = orders(250);
        JsonObject first = events.get(0);

        Api.Response response = api.post("events/batch", "application/json",
                Json.createObjectBuilder().add("events", Json.createArrayBuilder(events).add(first)).build().toString());

        assertEquals(200, response.status(), response.body());
        List<JsonObject> results = response.json().getJsonArray("results").getValuesAs(JsonObject.class);
        assertEquals(251, results.size());
        assertEquals("duplicate", results.get(250).getString("status"), "the first event again, two chunks later");
        assertEquals(250, results.stream().filter(result -> result.getString("status").equals("accepted")).count());
        assertEquals(events.get(249).getString("event_id"), results.get(249).getString("event_id"));
        assertEquals(200, api.get("events/" + events.get(249).getString("event_id")).status());
    }

    @Test
    void malformedJsonIsRejectedWith400() {
        Api.Response response = api.post("events", "application/json", "{\"event_id\": ");

        assertProblem(response, 400);
        assertTrue(response.json().getString("detail").startsWith("not JSON of the expected shape"), response.body());
    }

    @Test
    void emptyBodyIsRejectedWith400() {
        assertProblem(api.post("events", "application/json", ""), 400);
    }

    @Test
    void unknownEventTypeIsRejectedWith422NamingTheField() {
        JsonObject event = Api.event("order.shipped.yesterday", Json.createObjectBuilder()).build();

        Api.Response response = api.publish(event);

        assertProblem(response, 422);
        assertEquals(List.of("event_type"), fields(response));
        assertTrue(response.json().getString("detail").contains("known types: order.placed, payment.failed, shipment.updated"),
                response.body());
    }

    @Test
    void payloadWithoutTheFieldsItsTypeRequiresIsRejectedWith422NamingThem() {
        JsonObject event = Api.event("shipment.updated", Json.createObjectBuilder().add("status", "in transit")).build();

        Api.Response response = api.publish(event);

        assertProblem(response, 422);
        assertEquals(List.of("payload.shipment_id"), fields(response));
    }

    @Test
    void missingAndBlankFieldsAreRejectedWith422NamingEachField() {
        JsonObject event = Json.createObjectBuilder()
                .add("event_id", "")
                .add("event_type", "payment.failed")
                .build();

        Api.Response response = api.publish(event);

        assertProblem(response, 422);
        assertEquals(List.of("event_id", "event_id", "payload", "timestamp", "user_id"), fields(response));
    }

    @Test
    void bodyOverTheSizeLimitIsRejectedWith413() {
        String padding = "x".repeat(1024 * 1024);
        JsonObject event = Api.event("order.placed", Json.createObjectBuilder().add("padding", padding)).build();

        Api.Response response = api.publish(event);

        assertProblem(response, 413);
        assertTrue(response.json().getString("detail").contains("1048576 bytes"), response.body());
    }

    @Test
    void batchThatPassesTheSizeLimitAsItIsReadIsRejectedWhole() {
        List<JsonObject> events = orders(500);
        // valid events first, recorded a chunk at a time; then more than the 16 MiB limit
        String body = Json.createObjectBuilder().add("events", Json.createArrayBuilder(events))
                .add("padding", "x".repeat(17 * 1024 * 1024)).build().toString();

        Api.Response response = api.postStreamed("events/batch", "application/json", body.getBytes(StandardCharsets.UTF_8));

        assertProblem(response, 413);
        assertProblem(api.get("events/" + events.get(0).getString("event_id")), 404);
    }

    /** New order.placed events, each of a user of its own. */
    private static List<JsonObject> orders(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> Api.event("order.placed", Json.createObjectBuilder().add("order_id", "o-" + i)).build())
                .toList();
    }

    @Test
    void wrongMediaTypeIsRejectedWith415() {
        JsonObject event = Api.event("order.placed", Json.createObjectBuilder()).build();

        assertProblem(api.post("events", "text/plain", event.toString()), 415);
    }

    @Test
    void withTheDatabaseDownPublishingIsRefusedWith503AndARetryAfter() {
        JsonObject event = Api.event("order.placed", Json.createObjectBuilder().add("order_id", "o-db")).build();

        TestInfrastructure.whileDatabaseIsDown(() -> {
            Api.Response refused = api.publish(event);
            assertProblem(refused, 503);
            assertEquals("5", refused.retryAfter(), refused.body());
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> api.publish(event).status() == 202);
        assertEquals(200, api.get("events/" + event.getString("event_id")).status());
    }

    @Test
    void unknownEventIsAnsweredWith404() {
        Api.Response response = api.get("events/no-such-event");

        assertProblem(response, 404);
        assertTrue(response.json().getString("detail").contains("no-such-event"), response.body());
    }
}
