package dev.notify.bench;

import java.io.IOException;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The system's REST API as a publisher uses it, and the run command's sinks as the outside world
 * sees them: when each notification arrived.
 */
final class Api {

    /** Users the events are spread over; each has an email address, a phone number and a push token. */
    static final int USERS = 50;

    /** The events a run publishes, and the notifications each becomes by default. */
    enum EventKind {
        /** email and push */
        ORDER_PLACED("order.placed", "order_id", List.of("email", "push")),
        /** email, SMS and push */
        PAYMENT_FAILED("payment.failed", "payment_id", List.of("email", "sms", "push"));

        final String type;
        final String idField;
        /** The channels each event reaches, a notification on each (the channel's name in the database). */
        final List<String> channels;
        final int notifications;

        EventKind(String type, String idField, List<String> channels) {
            this.type = type;
            this.idField = idField;
            this.channels = channels;
            this.notifications = channels.size();
        }
    }

    /** The first instance's API: users, templates, batches. */
    private final String baseUrl;
    /** Every instance's API, which single events are spread over in turn, as a load balancer does. */
    private final List<String> instanceUrls;
    private final AtomicInteger nextInstance = new AtomicInteger();
    private final String sinkUrl;
    private final String apiKey;
    private final EventKind kind;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    Api(String baseUrl, String sinkUrl, String apiKey, EventKind kind) {
        this(List.of(baseUrl), sinkUrl, apiKey, kind);
    }

    Api(List<String> instanceUrls, String sinkUrl, String apiKey, EventKind kind) {
        this.baseUrl = instanceUrls.get(0);
        this.instanceUrls = List.copyOf(instanceUrls);
        this.sinkUrl = sinkUrl;
        this.apiKey = apiKey;
        this.kind = kind;
    }

    int notificationsPerEvent() {
        return kind.notifications;
    }

    List<String> channels() {
        return kind.channels;
    }

    void createRecipients(String run) throws IOException, InterruptedException {
        for (int user = 0; user < USERS; user++) {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/users/" + user(run, user)))
                    .header("Content-Type", "application/json")
                    .header("X-API-Key", apiKey)
                    .PUT(HttpRequest.BodyPublishers.ofString(String.format(
                            "{\"email\": \"user-%d@example.org\", \"phone\": \"+4915%08d\", \"push_tokens\": [\"device-%d\"]}",
                            user, user, user)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() / 100 != 2) {
                throw new IllegalStateException("could not create a recipient: " + created.statusCode() + " " + created.body());
            }
        }
    }

    /**
     * The consumers of each queue that has any, as the operator's admin API lists them: the
     * broker's count, every instance's consumers together.
     */
    String consumersPerQueue(String operator, String password) throws IOException, InterruptedException {
        HttpResponse<String> listed = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/admin/destinations"))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((operator + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (listed.statusCode() != 200) {
            throw new IllegalStateException("could not list the destinations: " + listed.statusCode() + " " + listed.body());
        }
        return Json.createReader(new StringReader(listed.body())).readArray().stream()
                .map(JsonValue::asJsonObject)
                .filter(queue -> queue.getJsonNumber("consumers").longValue() > 0)
                .map(queue -> queue.getString("name") + " " + queue.getJsonNumber("consumers").longValue())
                .collect(Collectors.joining(", "));
    }

    /** POST /events, waiting for the answer; fails unless it is 202. */
    void publish(String eventId, String run) throws IOException, InterruptedException {
        check(http.send(publishRequest(nextInstanceUrl(), eventId, run), HttpResponse.BodyHandlers.ofString()));
    }

    /**
     * POST /events without waiting, and whatever the answer: its status (the fault-injection suite
     * counts them). Consecutive events go to different instances, and so do a user's consecutive
     * events (the user is the event's number modulo USERS), so that per-user order is kept across
     * instances or not at all. A request that no instance took (the connection refused: that
     * instance is down) goes to the next, as a load balancer does; one that an instance took is
     * not sent again.
     */
    CompletableFuture<HttpResponse<String>> publishAnswer(String eventId, String run) {
        int number = number(eventId);
        return publishAnswer(Math.floorMod(number + number / USERS, instanceUrls.size()), instanceUrls.size(), eventId, run);
    }

    private CompletableFuture<HttpResponse<String>> publishAnswer(int instance, int tries, String eventId, String run) {
        return http.sendAsync(publishRequest(instanceUrls.get(instance), eventId, run), HttpResponse.BodyHandlers.ofString())
                .exceptionallyCompose(failure -> tries > 1 && refused(failure)
                        ? publishAnswer((instance + 1) % instanceUrls.size(), tries - 1, eventId, run)
                        : CompletableFuture.failedFuture(failure));
    }

    private static boolean refused(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    /** POST /events without waiting: the open loop sends on its schedule, whatever is outstanding. */
    CompletableFuture<Void> publishAsync(String eventId, String run) {
        return http.sendAsync(publishRequest(nextInstanceUrl(), eventId, run), HttpResponse.BodyHandlers.ofString()).thenAccept(Api::check);
    }

    private String nextInstanceUrl() {
        return instanceUrls.get(Math.floorMod(nextInstance.getAndIncrement(), instanceUrls.size()));
    }

    /** POST /events/batch; fails unless every item is accepted. */
    void publishBatch(List<String> eventIds, String run) throws IOException, InterruptedException {
        StringBuilder events = new StringBuilder();
        for (String eventId : eventIds) {
            events.append(events.isEmpty() ? "" : ",").append(event(eventId, run));
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/events/batch"))
                .header("Content-Type", "application/json")
                .header("X-API-Key", apiKey)
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString("{\"events\": [" + events + "]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("a batch was answered " + response.statusCode() + ": " + response.body());
        }
        for (JsonValue result : Json.createReader(new StringReader(response.body())).readObject().getJsonArray("results")) {
            if (!"accepted".equals(result.asJsonObject().getString("status"))) {
                throw new IllegalStateException("a batch item was not accepted: " + result);
            }
        }
    }

    private HttpRequest publishRequest(String instanceUrl, String eventId, String run) {
        return HttpRequest.newBuilder(URI.create(instanceUrl + "/events"))
                .header("Content-Type", "application/json")
                .header("X-API-Key", apiKey)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(event(eventId, run)))
                .build();
    }

    /** An event of one of the run's users, chosen by the event's number. */
    String event(String eventId, String run) {
        int number = number(eventId);
        return String.format("""
                {"event_id": "%s", "event_type": "%s", "user_id": "%s",
                 "timestamp": "%s", "payload": {"%s": "p-%d", "total": 42.5}}""",
                eventId, kind.type, userOf(eventId, run), Instant.now(), kind.idField, number);
    }

    /** The user an event of the run belongs to. */
    String userOf(String eventId, String run) {
        return user(run, number(eventId) % USERS);
    }

    /** The number that ends an event id of the run's. */
    private static int number(String eventId) {
        return Integer.parseInt(eventId.substring(eventId.lastIndexOf('-') + 1));
    }

    private static String user(String run, int user) {
        return run + "-user-" + user;
    }

    private static void check(HttpResponse<String> response) {
        if (response.statusCode() != 202) {
            throw new IllegalStateException("an event was answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** When each notification first reached its provider: the sinks' receipts by notification id. */
    Map<String, Instant> receipts() throws IOException, InterruptedException {
        Map<String, Instant> receipts = new HashMap<>();
        allReceipts().forEach((notification, times) -> receipts.put(notification, times.get(0)));
        return receipts;
    }

    /** Every receipt of every notification at the providers, by notification id: more than one is a resend. */
    Map<String, List<Instant>> allReceipts() throws IOException, InterruptedException {
        Map<String, List<Instant>> receipts = new HashMap<>();
        for (String provider : List.of("/push", "/sms")) {
            for (JsonValue request : list(provider)) {
                receipts.computeIfAbsent(request.asJsonObject().getString("idempotency_key"), key -> new ArrayList<>())
                        .add(Instant.parse(request.asJsonObject().getString("received_at")));
            }
        }
        for (JsonValue mail : list("/mail")) {
            JsonObject fields = mail.asJsonObject();
            String messageId = fields.getString("message_id"); // <notification id@notify>
            receipts.computeIfAbsent(messageId.substring(1, messageId.indexOf('@')), key -> new ArrayList<>())
                    .add(Instant.parse(fields.getString("received_at")));
        }
        receipts.values().forEach(Collections::sort);
        return receipts;
    }

    /** The notifications that reached their provider (at least once): the sinks' keys, without the requests' bodies. */
    Set<String> deliveredNotifications() throws IOException, InterruptedException {
        Set<String> delivered = new HashSet<>();
        for (String provider : List.of("/push", "/sms")) {
            list(provider + "?keys").stream().filter(JsonString.class::isInstance)
                    .forEach(key -> delivered.add(((JsonString) key).getString()));
        }
        for (JsonValue key : list("/mail?keys")) {
            String messageId = key instanceof JsonString text ? text.getString() : ""; // <notification id@notify>
            if (messageId.indexOf('@') > 0) {
                delivered.add(messageId.substring(1, messageId.indexOf('@')));
            }
        }
        return delivered;
    }

    /**
     * The provider answers every request with this status for a while (the local sinks' failure
     * switch; "slow" and "timeout" too), with the extra query parameters given ("&retry_after=5");
     * fails unless the switch answers 204, as it does when it took the order.
     */
    void failProvider(String provider, String status, Duration duration, String extra) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(sinkUrl + "/" + provider + "/failures?status=" + status
                + "&seconds=" + duration.toSeconds() + extra)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 204) {
            throw new IllegalStateException("the " + provider + " sink's failure switch answered " + answer.statusCode() + " " + answer.body());
        }
    }

    /** A provider's answer to a probe: its status, its Retry-After header (or null), and how long it took. */
    record ProbeAnswer(int status, String retryAfter, Duration took) {
    }

    /**
     * A request to the provider as the application sends one, with an idempotency key of no
     * notification's (a receipt of it counts nowhere): how the provider answers now.
     */
    ProbeAnswer probeProvider(String provider, String key) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(sinkUrl + "/" + provider))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"probe\": true}")).build(), HttpResponse.BodyHandlers.ofString());
        return new ProbeAnswer(answer.statusCode(), answer.headers().firstValue("Retry-After").orElse(null),
                Duration.ofNanos(System.nanoTime() - begin));
    }

    /** Makes the sinks forget what they received, so that a long run does not fill their memory. */
    void clearSinks() throws IOException, InterruptedException {
        for (String sink : List.of("/push", "/sms", "/mail")) {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(sinkUrl + sink)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() != 204) {
                throw new IllegalStateException("the sink " + sink + " did not forget: " + answer.statusCode());
            }
        }
    }

    private JsonArray list(String sink) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(sinkUrl + sink)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the sink " + sink + " answered " + response.statusCode());
        }
        return Json.createReader(new StringReader(response.body())).readArray();
    }
}
