package dev.notify.it;

import static dev.notify.it.Scrape.label;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

/** The metrics, scraped as Prometheus does, count the traffic the test sends. */
class MetricsIT extends DeployedService {

    @Test
    void knownTrafficIsCounted() {
        String userId = smsOnlyRecipient("it-metrics-");
        Scrape before = scrape();

        List<JsonObject> events = List.of(paymentFailed(userId), paymentFailed(userId), paymentFailed(userId));
        events.forEach(event -> assertEquals(202, api.publish(event).status()));
        assertEquals(202, api.publish(events.get(0)).status());
        assertEquals(422, api.post("events", "application/json", "{\"event_type\": \"payment.failed\"}").status());
        await().atMost(Duration.ofSeconds(45)).until(() -> events.stream().allMatch(event -> notificationStatus(event).equals("sent")));
        Scrape after = scrape();

        assertEquals(3, increase(before, after, "notify_events_total", label("outcome", "accepted")));
        assertEquals(1, increase(before, after, "notify_events_total", label("outcome", "duplicate")));
        assertEquals(1, increase(before, after, "notify_events_total", label("outcome", "rejected")));
        // other channels' and earlier tests' leftovers may add to the shared counters, never subtract
        assertTrue(increase(before, after, "notify_notifications_total", label("channel", "sms"), label("status", "sent")) >= 3);
        assertTrue(increase(before, after, "notify_provider_call_seconds_count", label("channel", "sms"), label("outcome", "sent")) >= 3);
        assertTrue(increase(before, after, "notify_consumer_processing_seconds_count", label("consumer", "router")) >= 3);
        assertTrue(increase(before, after, "notify_consumer_processing_seconds_count", label("consumer", "sms")) >= 3);
        assertTrue(after.has("notify_consumer_processing_seconds_bucket"), "a histogram per consumer");
        // the relay removes a batch in the transaction that sends it, and XA may commit the broker's
        // branch first: the messages can be delivered while their rows still show for a moment
        await("the outbox to drain").atMost(Duration.ofSeconds(30))
                .until(() -> scrape().value("notify_outbox_messages") == 0);
        assertEquals(Broker.queue("DLQ.notification.sms").getMessageCount(),
                after.value("notify_queue_messages", label("queue", "DLQ.notification.sms"), label("kind", "dead-letter")));
    }

    /**
     * A worker that dies after the provider call and the notification's settling, before its
     * commit, settles it again on the redelivery: only the committed settling counts.
     */
    @Test
    void aNotificationIsCountedOnlyWhenItsSettlingCommits() {
        String userId = smsOnlyRecipient("it-metrics-rollback-");
        JsonObject event = Api.event("payment.failed", Json.createObjectBuilder().add("payment_id", "p-" + userId)
                .add(FaultInjection.FAIL_AFTER_SETTLING, 1)).add("user_id", userId).build();
        awaitNoSmsUnsettled();
        int sentBefore = Db.sentCount("sms");
        Scrape before = scrape();

        assertEquals(202, api.publish(event).status());
        await().atMost(Duration.ofSeconds(45)).until(() -> notificationStatus(event).equals("sent"));
        awaitNoSmsUnsettled();
        int sentAfter = Db.sentCount("sms");
        Scrape after = scrape();

        assertEquals(1, Db.failures("notification.sms", event.getString("event_id")).size(), "the injected failure after settling");
        // other tests' leftovers may settle meanwhile: the counter must follow the database, not the attempts
        assertEquals(sentAfter - sentBefore,
                increase(before, after, "notify_notifications_total", label("channel", "sms"), label("status", "sent")));
    }

    private static void awaitNoSmsUnsettled() {
        await("no sms notification pending or held").atMost(Duration.ofSeconds(60)).until(() -> Db.unsettledCount("sms") == 0);
    }

    private static double increase(Scrape before, Scrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private static JsonObject paymentFailed(String userId) {
        return Api.event("payment.failed", Json.createObjectBuilder().add("payment_id", "p-" + userId))
                .add("user_id", userId).build();
    }
}
