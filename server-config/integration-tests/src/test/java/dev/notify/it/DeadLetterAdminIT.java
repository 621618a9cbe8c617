package dev.notify.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

/** The admin API over the broker's dead-letter queues, checked against the broker itself. */
class DeadLetterAdminIT extends DeployedService {

    private static final String EVENTS_DLQ = "admin/dead-letters/DLQ.notification.events";
    private static final Duration AT_ONCE = Duration.ofSeconds(15);

    @Test
    void destinationsShowEveryQueueWithItsFiguresAndLag() {
        String userId = invalidEvent("order.placed");
        await().atMost(AT_ONCE).until(() -> total(EVENTS_DLQ + "?user_id=" + userId) == 2);

        Api.Response response = api.get("admin/destinations");

        assertEquals(200, response.status(), response.body());
        Map<String, JsonObject> byName = response.jsonArray().getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(d -> d.getString("name"), Function.identity()));
        assertTrue(byName.keySet().containsAll(List.of("router", "activity", "notification.email", "notification.sms",
                "notification.push", "DLQ.notification.events", "DLQ.notification.email", "DLQ.notification.sms",
                "DLQ.notification.push", "ExpiryQueue")), byName.keySet().toString());
        JsonObject router = byName.get("router");
        assertEquals("subscription", router.getString("kind"));
        assertEquals("notification.events", router.getString("address"));
        assertEquals(Broker.queue("router").getConsumerCount(), router.getInt("consumers"));
        assertTrue(router.getInt("consumers") > 0);
        JsonObject deadLetters = byName.get("DLQ.notification.events");
        assertEquals("dead-letter", deadLetters.getString("kind"));
        assertEquals(Broker.queue("DLQ.notification.events").getMessageCount(), deadLetters.getJsonNumber("messages").longValue());
        assertTrue(deadLetters.getJsonNumber("oldest_message_age_millis").longValue() >= 0, deadLetters.toString());
        assertEquals("channel", byName.get("notification.sms").getString("kind"));
        assertEquals("other", byName.get("notification.replay").getString("kind"), "the history replay's staging queue");
    }

    @Test
    void deadLetterRaisesTheAlarm() {
        String userId = invalidEvent("order.placed");
        await().atMost(AT_ONCE).until(() -> total(EVENTS_DLQ + "?user_id=" + userId) == 2);
        String eventId = items(EVENTS_DLQ + "?user_id=" + userId).get(0).getString("event_id");
        await().atMost(AT_ONCE).until(() -> webhookCalls(eventId).size() == 2);
        JsonObject call = webhookCalls(eventId).get(0);
        assertEquals("DLQ.notification.events", call.getString("queue"));
        assertTrue(call.getString("reason").startsWith("invalid event: "), call.toString());

        Api.Response health = api.get("admin/health");
        assertEquals(503, health.status(), "a dead-letter queue above its threshold (0) is DOWN: " + health.body());
        JsonObject check = health.json().getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").equals("dead-letters DLQ.notification.events")).findFirst().orElseThrow();
        assertEquals("DOWN", check.getString("status"));
        long messages = Broker.queue("DLQ.notification.events").getMessageCount();
        assertEquals(messages, check.getJsonObject("data").getJsonNumber("messages").longValue());

        Api.Response metrics = api.get("admin/metrics");
        assertEquals(200, metrics.status());
        assertTrue(metrics.contentType().startsWith("text/plain"), metrics.contentType());
        assertEquals(messages, new Scrape(metrics.body()).value("notify_queue_messages",
                Scrape.label("queue", "DLQ.notification.events"), Scrape.label("kind", "dead-letter")), metrics.body());
    }

    private static List<JsonObject> webhookCalls(String eventId) {
        return TestInfrastructure.sinks().received("webhook").stream().map(call -> Api.parse(call.body()))
                .filter(call -> eventId.equals(call.getString("event_id", null))).toList();
    }

    @Test
    void poisonMessageGoesStraightToTheDeadLetterQueueWithItsReason() {
        String marker = "not-a-notification-" + UUID.randomUUID();
        Broker.produce(jms -> jms.createProducer().setProperty("test_marker", marker)
                .send(jms.createQueue("notification.sms"), "hello"));
        String userId = invalidEvent("payment.failed");

        await().atMost(AT_ONCE).until(() -> Broker.deadLetters("DLQ.notification.sms", "test_marker = '" + marker + "'").size() == 1);
        await().atMost(AT_ONCE).until(() -> total(EVENTS_DLQ + "?user_id=" + userId) == 2);

        JsonObject routerCopy = items(EVENTS_DLQ + "?user_id=" + userId + "&original_queue=router").get(0);
        String reason = routerCopy.getString("reason");
        assertTrue(reason.startsWith("invalid event: payload.") && reason.contains("is required for payment.failed"), reason);
        assertEquals("payment.failed", routerCopy.getString("event_type"));
        assertEquals(userId, routerCopy.getString("user_id"));

        JsonObject detail = api.get(EVENTS_DLQ + "/" + routerCopy.getString("id")).json();
        assertEquals(routerCopy.getString("reason"), detail.getJsonObject("summary").getString("reason"));
        assertEquals(userId, Api.parse(detail.getString("body")).getString("user_id"), "the body as it was sent");
        assertEquals("ID:" + routerCopy.getString("id"), detail.getJsonObject("headers").getString("JMSMessageID"));
        assertEquals("PERSISTENT", detail.getJsonObject("headers").getString("JMSDeliveryMode"));
        assertEquals(List.of(), detail.getJsonArray("failures"), "dead-lettered at once: no attempt failed");

        JsonObject sms = items("admin/dead-letters/DLQ.notification.sms?original_queue=notification.sms").stream()
                .filter(m -> m.getString("reason", "").startsWith("no valid notification_id property")).findFirst()
                .orElseThrow();
        assertEquals("hello", api.get("admin/dead-letters/DLQ.notification.sms/" + sms.getString("id")).json().getString("body"));
    }

    @Test
    void replayReachesOnlyTheSubscriptionThatFailed() throws JMSException {
        JsonObject event = Api.event("order.placed", Json.createObjectBuilder()
                .add("order_id", "o-replay").add(FaultInjection.FAIL_ATTEMPTS, 5)).build();
        String eventId = event.getString("event_id");
        assertEquals(202, api.publish(event).status());
        // 5 attempts with 1 + 2 + 4 + 8 s of back-off between them
        await().atMost(Duration.ofSeconds(60)).until(() -> total(EVENTS_DLQ + "?user_id=" + event.getString("user_id")) == 1);
        assertEquals(1, Db.processedCount("activity", eventId), "the other subscription consumed the event once");
        JsonObject deadLetter = items(EVENTS_DLQ + "?user_id=" + event.getString("user_id")).get(0);
        assertEquals("router", deadLetter.getString("original_queue"));
        JsonObject detail = api.get(EVENTS_DLQ + "/" + deadLetter.getString("id")).json();
        assertEquals(List.of(1, 2, 3, 4, 5), detail.getJsonArray("failures").stream()
                .map(f -> f.asJsonObject().getInt("attempt")).toList(), "the reason of every attempt");
        long activityAdded = Broker.queue("activity").getMessagesAdded();

        Api.Response retry = api.post(EVENTS_DLQ + "/" + deadLetter.getString("id") + "/retry", "application/json", "");

        assertEquals(204, retry.status(), retry.body());
        await().atMost(AT_ONCE).until(() -> "processed".equals(Db.status(eventId)));
        assertEquals(1, Db.processedCount("router", eventId));
        assertEquals(activityAdded, Broker.queue("activity").getMessagesAdded(), "the replay must not reach 'activity'");
        assertEquals(0, total(EVENTS_DLQ + "?user_id=" + event.getString("user_id")));
        assertProblem(api.post(EVENTS_DLQ + "/" + deadLetter.getString("id") + "/retry", "application/json", ""), 404);
    }

    @Test
    void bulkReplayReportsProgressAndRespectsItsRate() {
        String userId = invalidEvent("order.placed");
        for (int i = 0; i < 3; i++) {
            invalidEvent("order.placed", userId);
        }
        String routerCopies = EVENTS_DLQ + "?original_queue=router&user_id=" + userId;
        String activityCopies = EVENTS_DLQ + "?original_queue=activity&user_id=" + userId;
        await().atMost(AT_ONCE).until(() -> total(routerCopies) == 4 && total(activityCopies) == 4);
        List<String> routerIds = ids(routerCopies);
        List<String> activityIds = ids(activityCopies);

        Api.Response started = api.post(EVENTS_DLQ + "/retries", "application/json", Json.createObjectBuilder()
                .add("user_id", userId).add("original_queue", "router").add("rate_per_second", 2).build().toString());

        assertEquals(202, started.status(), started.body());
        String job = URI.create(started.location()).getPath().replaceFirst("^/api/v1/", "");
        List<Integer> progress = new ArrayList<>();
        await().atMost(AT_ONCE).until(() -> {
            JsonObject state = api.get(job).json();
            progress.add(state.getInt("done"));
            return state.getString("status").equals("completed");
        });
        JsonObject finished = api.get(job).json();
        assertEquals(finished, api.get("admin/jobs").jsonArray().getJsonObject(0), "the newest job first");
        assertEquals(4, finished.getInt("total"));
        assertEquals(4, finished.getInt("done"));
        assertEquals(0, finished.getInt("failed"));
        assertTrue(progress.stream().anyMatch(done -> done > 0 && done < 4), "progress seen on the way: " + progress);
        Duration took = Duration.between(OffsetDateTime.parse(finished.getString("started_at")),
                OffsetDateTime.parse(finished.getString("finished_at")));
        assertTrue(took.toMillis() >= 1500, "4 messages at 2 per second take 1.5 s at least, not " + took);
        // still invalid, each comes back to the queue as a new dead letter; the other subscription's are untouched
        await().atMost(AT_ONCE).until(() -> total(routerCopies) == 4 && !ids(routerCopies).stream().anyMatch(routerIds::contains));
        assertEquals(activityIds, ids(activityCopies));

        assertEquals(List.of("all"), fields(api.post(EVENTS_DLQ + "/retries", "application/json", "{}")));
        assertEquals(List.of("rate_per_second"), fields(api.post(EVENTS_DLQ + "/retries", "application/json",
                "{\"all\": true, \"rate_per_second\": 0}")));
    }

    @Test
    void aJobWhoseInstanceStoppedIsTakenOverAndResumedFromItsProgressAndALiveOneIsLeftToItsOwner() {
        String userId = invalidEvent("order.placed");
        invalidEvent("order.placed", userId);
        invalidEvent("order.placed", userId);
        String routerCopies = EVENTS_DLQ + "?original_queue=router&user_id=" + userId;
        await().atMost(AT_ONCE).until(() -> total(routerCopies) == 3);
        List<String> listed = ids(routerCopies);
        String queue = Broker.EVENTS_DEAD_LETTERS;
        String selection = Json.createObjectBuilder().add("user_id", userId).add("original_queue", "router").build().toString();
        // an instance retried 2 of 5 messages and stopped: its lease ran out a minute ago
        UUID abandoned = Db.insertRunningRetry(queue, selection, "notify-stopped", OffsetDateTime.now().minusMinutes(1),
                5, 2, Broker.newestMessageId(queue));
        // another runs its job and renews the lease
        UUID alive = Db.insertRunningRetry(queue, selection, "notify-alive", OffsetDateTime.now().plusMinutes(5), 3, 0,
                Broker.newestMessageId(queue));

        await().atMost(AT_ONCE).until(() -> api.get("admin/jobs/" + abandoned).json().getString("status").equals("completed"));

        JsonObject resumed = api.get("admin/jobs/" + abandoned).json();
        assertEquals("notify-1", resumed.getString("owner"), "taken over by the test's instance");
        assertEquals(5, resumed.getInt("total"), "the total it had listed");
        assertEquals(5, resumed.getInt("done"), "the 2 done before, and the 3 the queue still held");
        assertEquals(0, resumed.getInt("failed"));
        // each was retried once: still invalid, each came back once as a new dead letter
        await().atMost(AT_ONCE).until(() -> total(routerCopies) == 3 && ids(routerCopies).stream().noneMatch(listed::contains));
        JsonObject untouched = api.get("admin/jobs/" + alive).json();
        assertEquals("running", untouched.getString("status"));
        assertEquals("notify-alive", untouched.getString("owner"));
        assertEquals(0, untouched.getInt("done"));
    }

    @Test
    void deadLettersAreFilteredByEventTypeUserAndTimeAPageAtATime() {
        Instant before = Instant.now().minusMillis(1);
        String userId = invalidEvent("order.placed");
        invalidEvent("payment.failed", userId);
        invalidEvent("order.placed", userId);
        String user = EVENTS_DLQ + "?original_queue=router&user_id=" + userId;
        await().atMost(AT_ONCE).until(() -> total(user) == 3);

        assertEquals(2, total(user + "&event_type=order.placed"));
        assertEquals(3, total(user + "&from=" + encode(before.toString())));
        assertEquals(0, total(user + "&to=" + encode(before.toString())));
        Api.Response secondPage = api.get(user + "&page=2&size=2");
        assertEquals(1, secondPage.json().getJsonArray("items").size(), secondPage.body());
        assertEquals(3, secondPage.json().getInt("total"));

        assertProblem(api.get(EVENTS_DLQ + "?from=yesterday"), 422);
        assertEquals(List.of("from"), fields(api.get(EVENTS_DLQ + "?from=yesterday")));
        assertProblem(api.get("admin/dead-letters/router"), 404);
    }

    @Test
    void deadLettersAreDeletedOneBySelectionOrAll() {
        String userId = invalidEvent("order.placed");
        invalidEvent("order.placed", userId);
        String user = EVENTS_DLQ + "?user_id=" + userId;
        await().atMost(AT_ONCE).until(() -> total(user) == 4);
        String id = items(user + "&original_queue=router").get(0).getString("id");

        assertEquals(204, api.delete(EVENTS_DLQ + "/" + id).status());
        assertProblem(api.delete(EVENTS_DLQ + "/" + id), 404);
        assertEquals(3, total(user));
        Api.Response selection = api.delete(user + "&original_queue=activity");
        assertEquals(200, selection.status(), selection.body());
        assertEquals(2, selection.json().getInt("deleted"));
        assertEquals(1, total(user));

        assertProblem(api.delete(EVENTS_DLQ), 422);
        Api.Response purge = api.delete(EVENTS_DLQ + "?all=true");
        assertEquals(200, purge.status(), purge.body());
        assertTrue(purge.json().getInt("deleted") >= 1, purge.body());
        assertEquals(0, Broker.queue("DLQ.notification.events").getMessageCount());
    }

    /** An event of a valid type without its required fields, from a foreign producer: each subscription dead-letters it. */
    private static String invalidEvent(String eventType) {
        String userId = "dl-user-" + UUID.randomUUID();
        invalidEvent(eventType, userId);
        return userId;
    }

    private static void invalidEvent(String eventType, String userId) {
        JsonObject event = Json.createObjectBuilder()
                .add("event_id", "dl-" + UUID.randomUUID())
                .add("event_type", eventType)
                .add("user_id", userId)
                .add("timestamp", Instant.now().toString())
                .add("payload", JsonValue.EMPTY_JSON_OBJECT)
                .build();
        Broker.produce(jms -> {
            TextMessage message = jms.createTextMessage(event.toString());
            try {
                message.setStringProperty("event_id", event.getString("event_id"));
                message.setStringProperty("event_type", eventType);
                message.setStringProperty("JMSXGroupID", userId);
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
            jms.createProducer().send(jms.createTopic(Broker.EVENTS_TOPIC), message);
        });
    }

    private int total(String listing) {
        Api.Response response = api.get(listing);
        assertEquals(200, response.status(), response.body());
        return response.json().getInt("total");
    }

    private List<String> ids(String listing) {
        return items(listing).stream().map(item -> item.getString("id")).toList();
    }

    private List<JsonObject> items(String listing) {
        Api.Response response = api.get(listing);
        assertEquals(200, response.status(), response.body());
        List<JsonObject> items = response.json().getJsonArray("items").getValuesAs(JsonObject.class);
        assertNotNull(items);
        return items;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
