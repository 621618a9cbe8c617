package dev.notify.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

/**
 * From the topic through the router's XA transaction: processed once, rolled back whole on
 * failure, retried with back-off, dead-lettered with a reason.
 */
class EventProcessingIT extends DeployedService {

    private static final String ROUTER = "router";
    private static final Duration PROCESSING = Duration.ofSeconds(30);

    @Test
    void subscribersConsumeTheQueuesDeclaredForThem() throws Exception {
        for (String queue : List.of(Broker.ROUTER_QUEUE, Broker.ACTIVITY_QUEUE)) {
            assertTrue(Broker.queue(queue).getConsumerCount() > 0,
                    "a message-driven bean should consume the broker's '" + queue + "' queue, not a queue of its own");
        }
        assertEquals(List.of(Broker.ACTIVITY_QUEUE, Broker.ROUTER_QUEUE), TestInfrastructure.broker().getActiveMQServer()
                .bindingQuery(org.apache.activemq.artemis.api.core.SimpleString.of(Broker.EVENTS_TOPIC))
                .getQueueNames().stream().map(Object::toString).sorted().toList());
    }

    @Test
    void everyEventReachesTheActivityTimelineNewestFirstInPages() {
        String user = "it-user-" + System.nanoTime();
        List<String> published = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonObject event = Api.event("order.placed", Json.createObjectBuilder().add("order_id", "o-" + i))
                    .add("user_id", user).build();
            assertEquals(202, api.publish(event).status());
            published.add(0, event.getString("event_id"));
            if (i == 0) {
                // the same event again from a raw producer: the activity subscription's dedup drops it
                Broker.produce(jms -> jms.createProducer().send(jms.createTopic(Broker.EVENTS_TOPIC), event.toString()));
            }
        }

        await().atMost(PROCESSING).until(() -> timeline("users/" + user + "/events").size() == 3);
        assertEquals(published, timeline("users/" + user + "/events"));
        JsonObject firstPage = api.get("users/" + user + "/events?limit=2").json();
        assertEquals(published.subList(0, 2), eventIds(firstPage));
        String next = firstPage.getString("next");
        JsonObject secondPage = api.get(next.substring(next.indexOf("/api/v1/") + "/api/v1/".length())).json();
        assertEquals(published.subList(2, 3), eventIds(secondPage));
        assertTrue(!secondPage.containsKey("next"), secondPage.toString());
        assertEquals(1, Db.processedCount(Broker.ACTIVITY_QUEUE, published.get(2)));
    }

    private List<String> timeline(String path) {
        return eventIds(api.get(path).json());
    }

    private static List<String> eventIds(JsonObject page) {
        return page.getJsonArray("events").getValuesAs(JsonObject.class).stream().map(e -> e.getString("event_id")).toList();
    }

    @Test
    void publishedEventIsProcessed() {
        String eventId = publish(Json.createObjectBuilder().add("note", "first order"));

        await().atMost(PROCESSING).until(() -> "processed".equals(api.get("events/" + eventId).json().getString("status")));

        JsonObject status = api.get("events/" + eventId).json();
        assertTrue(status.containsKey("processed_at"), status.toString());
        assertEquals(1, Db.processedCount(ROUTER, eventId));
        assertEquals(List.of(), Db.failures(ROUTER, eventId));
    }

    @Test
    void sameEventPublishedTwiceIsProcessedOnce() throws JMSException {
        JsonObject event = Api.event("payment.failed", Json.createObjectBuilder().add("payment_id", "p-1")).build();
        String eventId = event.getString("event_id");
        Api.Response first = api.publish(event);
        Api.Response second = api.publish(event);
        assertEquals(202, first.status(), first.body());
        assertEquals(202, second.status(), second.body());
        assertEquals(first.location(), second.location());
        await().atMost(PROCESSING).until(() -> "processed".equals(Db.status(eventId)));
        OffsetDateTime processedAt = Db.processedAt(eventId);

        // a producer that sends the same event again, without the broker's duplicate id: only the
        // router's dedup table can catch it
        long acknowledgedBefore = Broker.queue(Broker.ROUTER_QUEUE).getMessagesAcknowledged();
        Broker.produce(jms -> jms.createProducer().send(jms.createTopic(Broker.EVENTS_TOPIC), event.toString()));
        await().atMost(PROCESSING).until(() -> Broker.queue(Broker.ROUTER_QUEUE).getMessagesAcknowledged() > acknowledgedBefore
                && Broker.drained(Broker.ROUTER_QUEUE));

        assertEquals(1, Db.processedCount(ROUTER, eventId));
        assertEquals(processedAt, Db.processedAt(eventId), "the duplicate must not be processed again");
        assertEquals(List.of(), Db.failures(ROUTER, eventId));
    }

    @Test
    void failureAfterTheDatabaseWriteRollsBackTheRowAndRedelivers() {
        String eventId = publish(Json.createObjectBuilder().add(FaultInjection.FAIL_ATTEMPTS, 2));

        await().atMost(PROCESSING).until(() -> "processed".equals(Db.status(eventId)));

        // attempts 1 and 2 wrote the dedup row and the event's state, then failed. Attempt 2 could
        // only reach its failure if attempt 1's dedup row was rolled back, and attempt 3 likewise.
        List<Db.Failure> failures = Db.failures(ROUTER, eventId);
        assertEquals(List.of(1, 2), failures.stream().map(Db.Failure::attempt).toList());
        assertTrue(failures.get(0).reason().contains("injected failure on attempt 1"), failures.get(0).reason());
        assertEquals(1, Db.processedCount(ROUTER, eventId), "processed exactly once, by the third delivery");
        assertTrue(Db.processedAt(eventId).isAfter(failures.get(1).failedAt()),
                "the committed state is the third attempt's, not a rolled-back one's");
    }

    @Test
    void messageThatAlwaysFailsEndsInItsDeadLetterQueue() throws JMSException {
        String eventId = publish(Json.createObjectBuilder().add(FaultInjection.FAIL_ATTEMPTS, 1000));

        // 5 attempts with 1 + 2 + 4 + 8 s of back-off between them
        await().atMost(Duration.ofSeconds(90)).until(() -> !Broker.deadLetters("event_id = '" + eventId + "'").isEmpty());

        Message deadLetter = Broker.deadLetters("event_id = '" + eventId + "'").get(0);
        assertEquals(eventId, Api.parse(deadLetter.getBody(String.class)).getString("event_id"));
        assertEquals(ROUTER, deadLetter.getStringProperty("_AMQ_ORIG_QUEUE"));
        String reason = deadLetter.getStringProperty("dead_letter_reason");
        assertTrue(reason.startsWith("failed on all 5 attempts, the last with: java.lang.IllegalStateException: injected failure"),
                reason);
        List<Db.Failure> failures = Db.failures(ROUTER, eventId);
        assertEquals(List.of(1, 2, 3, 4, 5), failures.stream().map(Db.Failure::attempt).toList());
        long[] expectedBackOffMillis = {1000, 2000, 4000, 8000};
        for (int i = 0; i < expectedBackOffMillis.length; i++) {
            long waited = Duration.between(failures.get(i).failedAt(), failures.get(i + 1).failedAt()).toMillis();
            assertTrue(waited >= expectedBackOffMillis[i] - 100,
                    "attempt " + (i + 2) + " came " + waited + " ms after the previous, expected a back-off of "
                            + expectedBackOffMillis[i] + " ms");
        }
        assertEquals(1, Db.processedCount(ROUTER, eventId),
                "claimed by the give-up: a stale copy of its message does nothing, only the dead letter sent back routes it");
        assertEquals("dead-lettered", Db.status(eventId),
                "the router gave up on it: it no longer holds back the user's later notifications");
    }

    @Test
    void malformedMessageFromAForeignProducerIsDeadLetteredAtOnceWithItsReason() throws JMSException {
        String marker = "malformed-" + System.nanoTime();
        Broker.produce(jms -> {
            TextMessage text = jms.createTextMessage("{\"event_id\": \"half an event");
            BytesMessage bytes = jms.createBytesMessage();
            try {
                text.setStringProperty("test_marker", marker);
                bytes.writeBytes(new byte[] {1, 2, 3});
                bytes.setStringProperty("test_marker", marker);
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
            jms.createProducer().send(jms.createTopic(Broker.EVENTS_TOPIC), text).send(jms.createTopic(Broker.EVENTS_TOPIC), bytes);
        });

        // each subscription dead-letters its own copy, well inside the first back-off step: no retries
        await().atMost(Duration.ofSeconds(10)).until(() -> Broker.deadLetters("test_marker = '" + marker + "'").size() == 4);
        assertEquals(2, Broker.deadLetters("test_marker = '" + marker + "' AND _AMQ_ORIG_QUEUE = 'activity'").size());

        List<Message> deadLetters = Broker.deadLetters("test_marker = '" + marker + "' AND _AMQ_ORIG_QUEUE = 'router'");
        TextMessage text = (TextMessage) deadLetters.stream().filter(TextMessage.class::isInstance).findFirst().orElseThrow();
        assertEquals("{\"event_id\": \"half an event", text.getText(), "the body is kept as it was sent");
        assertTrue(text.getStringProperty("dead_letter_reason").startsWith("malformed event: "), text.getStringProperty("dead_letter_reason"));
        BytesMessage bytes = (BytesMessage) deadLetters.stream().filter(BytesMessage.class::isInstance).findFirst().orElseThrow();
        assertEquals(3, bytes.getBodyLength());
        assertTrue(bytes.getStringProperty("dead_letter_reason").startsWith("malformed event: not a text message"),
                bytes.getStringProperty("dead_letter_reason"));
        for (Message deadLetter : deadLetters) {
            assertEquals(Broker.EVENTS_TOPIC, deadLetter.getStringProperty("_AMQ_ORIG_ADDRESS"));
        }
    }

    @Test
    void invalidEventFromAForeignProducerIsDeadLetteredAtOnceNamingTheRule() throws JMSException {
        JsonObject event = Api.event("no.such.type", Json.createObjectBuilder()).build();
        String eventId = event.getString("event_id");
        Broker.produce(jms -> jms.createProducer().setProperty("event_id", eventId)
                .send(jms.createTopic(Broker.EVENTS_TOPIC), event.toString()));

        await().atMost(Duration.ofSeconds(10)).until(() -> !Broker.deadLetters("event_id = '" + eventId + "'").isEmpty());

        String reason = Broker.deadLetters("event_id = '" + eventId + "'").get(0).getStringProperty("dead_letter_reason");
        assertTrue(reason.startsWith("invalid event: event_type is not a known event type"), reason);
        assertEquals(null, Db.status(eventId));
    }

    @Test
    void largePayloadTravelsByReferenceAndIsProcessedWhole() throws JMSException {
        String notes = "n".repeat(100_000);
        JsonObject event = Api.event("order.placed", Json.createObjectBuilder().add("order_id", "o-big").add("notes", notes)).build();
        String eventId = event.getString("event_id");

        Message sent = Broker.observeEventsTopic("event_id = '" + eventId + "'",
                () -> assertEquals(202, api.publish(event).status()));

        // over the claim-check threshold (64 KiB): the broker carries the event without its payload
        assertTrue(sent.getBooleanProperty("payload_by_reference"));
        JsonObject body = Api.parse(sent.getBody(String.class));
        assertEquals(eventId, body.getString("event_id"));
        assertTrue(!body.containsKey("payload") && sent.getBody(String.class).length() < 1000, sent.getBody(String.class));
        await().atMost(PROCESSING).until(() -> "processed".equals(Db.status(eventId)));
        assertEquals(notes, api.get("events/" + eventId).json().getJsonObject("payload").getString("notes"));
    }

    @Test
    void smallPayloadTravelsInTheMessage() throws JMSException {
        JsonObject event = Api.event("order.placed", Json.createObjectBuilder().add("order_id", "o-small")).build();

        Message sent = Broker.observeEventsTopic("event_id = '" + event.getString("event_id") + "'",
                () -> assertEquals(202, api.publish(event).status()));

        assertTrue(!sent.propertyExists("payload_by_reference"));
        assertEquals("o-small", Api.parse(sent.getBody(String.class)).getJsonObject("payload").getString("order_id"));
    }

    /** The lease that the instance pruning takes. */
    private static final String PRUNING = "prune-processed-events";

    @Test
    void processedEventIdsAreForgottenAfterTheirRetentionByTheInstanceThatTakesThePruningsLease() {
        String old = "it-old-" + System.nanoTime();
        String recent = "it-recent-" + System.nanoTime();
        Db.insertProcessed(ROUTER, old, OffsetDateTime.now().minusDays(7).minusMinutes(1));
        Db.insertProcessed(ROUTER, recent, OffsetDateTime.now().minusDays(6));
        OffsetDateTime expired = OffsetDateTime.now();
        Db.leaseExpires(PRUNING, expired);

        // the test deployment prunes every 2 s (NOTIFY_DEDUP_PRUNE_INTERVAL), the retention is the default 7 days
        await().atMost(PROCESSING).until(() -> Db.processedCount(ROUTER, old) == 0);

        assertEquals(1, Db.processedCount(ROUTER, recent));
        Db.Lease pruning = Db.lease(PRUNING);
        assertEquals("notify-1", pruning.owner());
        assertTrue(pruning.expiresAt().isAfter(expired), "taken for an interval, in which no other instance prunes: " + pruning);
    }

    @Test
    void theInstanceHoldsItsNameAndRenewsIt() {
        Db.Lease name = Db.lease("instance:notify-1");
        assertTrue(name.owner() != null && name.expiresAt().isAfter(OffsetDateTime.now()), "held: " + name);

        // renewed every 5 s (the default 30 s lease / 6): a second process under the name sees it and does not start
        await().atMost(Duration.ofSeconds(20)).until(() -> Db.lease("instance:notify-1").expiresAt().isAfter(name.expiresAt()));
        assertEquals(name.owner(), Db.lease("instance:notify-1").owner(), "by the same process");
    }

    @Test
    void theDatabaseRefusesASecondRunningHistoryReplay() {
        assertEquals("23505", Db.secondRunningHistoryReplayRefused(), "a unique violation");
    }

    /** Publishes an order.placed event with the given payload fields besides its order_id. */
    private String publish(jakarta.json.JsonObjectBuilder payload) {
        JsonObject event = Api.event("order.placed", payload.add("order_id", "o-" + System.nanoTime())).build();
        Api.Response response = api.publish(event);
        assertEquals(202, response.status(), response.body());
        return event.getString("event_id");
    }
}
