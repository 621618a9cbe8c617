package dev.notify.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.Archive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tests that talk to the deployable under test as its clients do: over HTTP and through the broker. */
@ExtendWith(ArquillianExtension.class)
abstract class DeployedService {

    private static final Duration READY = Duration.ofSeconds(60);

    @Deployment(testable = false)
    static Archive<?> deployment() {
        return Deployables.underTest();
    }

    @ArquillianResource
    URL deploymentUrl;

    Api api;

    /** The test class whose deployment {@link #awaitReady} has seen ready (each class deploys anew). */
    private static Class<?> ready;

    @BeforeEach
    void client() {
        api = new Api(deploymentUrl);
        if (getClass() != ready) {
            awaitReady();
            ready = getClass();
        }
    }

    /**
     * A deployment is ready for the tests when its API answers and its message-driven beans consume
     * every queue: the containers report a deployment done before the resource adapter has
     * connected all of them, which it does on its own threads.
     */
    private void awaitReady() {
        await("the deployment at " + deploymentUrl + " to answer and consume every queue")
                .atMost(READY).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> api.get("admin/destinations").status() == 200
                        && Broker.CONSUMED_QUEUES.stream().allMatch(queue -> Broker.queue(queue).getConsumerCount() > 0));
    }

    /** A new recipient with a phone only, who gets payment.failed by SMS only. */
    String smsOnlyRecipient(String prefix) {
        String userId = prefix + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
        assertEquals(201, api.put("users/" + userId, "{\"phone\": \"+4915100000000\"}").status());
        assertEquals(200, api.put("users/" + userId + "/preferences",
                "{\"event_types\": {\"payment.failed\": {\"channels\": [\"sms\"]}}}").status());
        return userId;
    }

    /** The status of the event's first notification, "none" before it has one. */
    String notificationStatus(JsonObject event) {
        return api.get("events/" + event.getString("event_id")).json().getJsonArray("notifications").stream()
                .map(n -> n.asJsonObject().getString("status")).findFirst().orElse("none");
    }

    /** The metrics, as Prometheus scrapes them. */
    Scrape scrape() {
        Api.Response metrics = api.get("admin/metrics");
        assertEquals(200, metrics.status(), metrics.body());
        assertTrue(metrics.contentType().startsWith("text/plain"), metrics.contentType());
        return new Scrape(metrics.body());
    }

    /** An RFC 9457 problem with this status. */
    static void assertProblem(Api.Response response, int status) {
        assertEquals(status, response.status(), response.body());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        assertEquals(status, response.json().getInt("status"));
        assertTrue(response.json().containsKey("title"), response.body());
    }

    /** The fields a problem names, in its order. */
    static List<String> fields(Api.Response response) {
        return strings(response.json().getJsonArray("errors").stream()
                .map(error -> error.asJsonObject().get("field")).toList());
    }

    static List<String> strings(List<JsonValue> values) {
        return values.stream().map(value -> ((JsonString) value).getString()).toList();
    }
}
