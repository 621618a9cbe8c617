package dev.notify.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Requests a careless or hostile client sends, on every endpoint: each is refused with its own
 * status as problem+json (never a 500, never a server's HTML page), and none writes anything.
 */
class HostileRequestsIT extends DeployedService {

    /** Every event and user a request here names starts so; none may be left in the database. */
    private static final String HOSTILE = "hostile-" + UUID.randomUUID() + "-";
    private static final String JSON = "application/json";
    private static final int MINIMUM_REQUESTS = 80;

    private final List<Hostile> requests = new ArrayList<>();

    @Test
    void everyHostileRequestIsRefusedAsAProblemAndWritesNothing() {
        String existingUser = "users/it-" + UUID.randomUUID();
        assertEquals(201, api.put(existingUser, "{\"email\": \"ada@example.org\"}").status());
        events();
        batches();
        users(existingUser);
        administration();
        everywhere();

        assertTrue(requests.size() >= MINIMUM_REQUESTS, requests.size() + " requests");
        assertAll(requests.stream().map(request -> (Executable) () -> request.check(api)));
        assertEquals(0, Db.countStartingWith("event", "event_id", HOSTILE), "events written by refused requests");
        assertEquals(0, Db.countStartingWith("recipient", "user_id", HOSTILE), "recipients written by refused requests");
    }

    /**
     * Requests that a server's HTTP layer may refuse before any application code runs: a NUL in
     * the path, a request line or headers over its limit. Payara does, with an empty 400 that no
     * setting gives a body (it has no hook there); WildFly passes them to the application (its
     * limit is 1 MiB). Either way: never a 500, never a server's HTML page.
     */
    @Test
    void requestsAServerMayRefuseBeforeTheApplicationGetNoErrorPage() {
        String padding = "pad=" + "x".repeat(100 * 1024);
        Map<String, String> json = Map.of("Content-Type", JSON);
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> refusedOrAnswered(404, "GET", "events/" + HOSTILE + "a%00b", Map.of(), null));
        checks.add(() -> refusedOrAnswered(422, "GET", "users/" + HOSTILE + "a%00b", Map.of(), null));
        checks.add(() -> refusedOrAnswered(422, "PUT", "users/" + HOSTILE + "a%00b", json,
                "{\"email\": \"ada@example.org\"}".getBytes(StandardCharsets.UTF_8)));
        checks.add(() -> refusedOrAnswered(404, "GET", "admin/dead-letters/DLQ.notification.sms/" + HOSTILE + "a%00b", Map.of(), null));
        checks.add(() -> refusedOrAnswered(200, "GET", "event-types?" + padding, Map.of(), null));
        checks.add(() -> refusedOrAnswered(404, "GET", "events/" + HOSTILE + "unknown?" + padding, Map.of(), null));
        checks.add(() -> refusedOrAnswered(200, "GET", "event-types", Map.of("X-Padding", "x".repeat(64 * 1024)), null));
        assertAll(checks);
        assertEquals(0, Db.countStartingWith("recipient", "user_id", HOSTILE), "recipients written by refused requests");
    }

    /** The server's own empty 400, or the application's answer to the request (problem+json when an error). */
    private void refusedOrAnswered(int applicationStatus, String method, String path, Map<String, String> headers, byte[] body) {
        Api.Response response = api.send(method, path, headers, body);
        String request = method + " " + path.substring(0, Math.min(path.length(), 120));
        if (response.status() == 400 && response.body().isEmpty()) {
            return; // refused by the HTTP layer
        }
        assertEquals(applicationStatus, response.status(), request + ": " + response.body());
        if (applicationStatus >= 400) {
            assertTrue(response.contentType().startsWith("application/problem+json"), request + ": " + response.contentType());
        }
    }

    private void events() {
        String valid = event().build().toString();
        expect(415, "POST", "events", null, valid);
        expect(415, "POST", "events", "text/plain", valid);
        expect(415, "POST", "events", "application/xml", "<event/>");
        expect(415, "POST", "events", "application/json; charset=ISO-8859-1", valid);
        expect(400, "POST", "events", ";;;", valid);
        expect(400, "POST", "events", JSON, "");
        expect(400, "POST", "events", JSON, "   ");
        expect(400, "POST", "events", JSON, "[1]");
        expect(400, "POST", "events", JSON, "\"x\"");
        expect(400, "POST", "events", JSON, "1");
        expect(400, "POST", "events", JSON, "null");
        expect(400, "POST", "events", JSON, "true");
        expect(400, "POST", "events", JSON, "{");
        expect(400, "POST", "events", JSON, "{\"event_id\": }");
        expect(400, "POST", "events", JSON, "<event/>");
        expect(422, "POST", "events", JSON, "{}");
        expect(422, "POST", "events", JSON, event().add("event_id", HOSTILE + "with space").build().toString());
        expect(422, "POST", "events", JSON, event().add("event_id", HOSTILE + "x".repeat(200)).build().toString());
        expect(422, "POST", "events", JSON, event().add("event_id", HOSTILE + "a/b").build().toString());
        expect(422, "POST", "events", JSON, event().add("event_type", "order.cancelled").build().toString());
        expect(422, "POST", "events", JSON, event().add("user_id", "").build().toString());
        expect(422, "POST", "events", JSON, event().add("user_id", "u".repeat(201)).build().toString());
        expect(422, "POST", "events", JSON, event().add("user_id", "nul\u0000").build().toString());
        expect(400, "POST", "events", JSON, event().add("user_id", Json.createObjectBuilder()).build().toString());
        expect(422, "POST", "events", JSON, event().remove("timestamp").build().toString());
        expect(400, "POST", "events", JSON, event().add("timestamp", "yesterday").build().toString());
        expect(400, "POST", "events", JSON, event().add("timestamp", 5).build().toString());
        expect(400, "POST", "events", JSON, event().add("timestamp", "2026-11-27T08:00:00").build().toString());
        expect(422, "POST", "events", JSON, event().add("timestamp", "+10000-01-01T00:00:00Z").build().toString());
        expect(422, "POST", "events", JSON, event().remove("payload").build().toString());
        expect(400, "POST", "events", JSON, event().add("payload", Json.createArrayBuilder()).build().toString());
        expect(400, "POST", "events", JSON, event().add("payload", "order o-1").build().toString());
        expect(422, "POST", "events", JSON, event().add("payload", Json.createObjectBuilder()).build().toString());
        expect(422, "POST", "events", JSON, event().add("payload", payload().add("note", "nul\u0000")).build().toString());
        expect(422, "POST", "events", JSON, event().add("payload", payload().add("nul\u0000", 1)).build().toString());
        expect(422, "POST", "events", JSON, withPayloadNumber("1e999999999"));
        expect(422, "POST", "events", JSON, withPayloadNumber("1e-999999999"));
        expect(400, "POST", "events", JSON, withPayloadNumber("[".repeat(5000) + "]".repeat(5000)));
        expect(400, "POST", "events", JSON, event().add("metadata", "from the shop").build().toString());
        expect(422, "POST", "events", JSON, event().add("metadata", Json.createObjectBuilder().add("source", "nul\u0000")).build().toString());
        expect(413, "POST", "events", JSON, event().add("payload", payload().add("padding", "x".repeat(1024 * 1024))).build().toString());
        expect(422, "POST", "events", JSON, valid.replace(HOSTILE, HOSTILE + "\u00ff").getBytes(StandardCharsets.ISO_8859_1));
        for (String method : List.of("PUT", "DELETE", "PATCH", "GET")) {
            expect(405, method, "events", JSON, method.equals("GET") || method.equals("DELETE") ? "" : valid);
        }
        expect(403, "FOO", "events", JSON, valid); // a method HTTP does not define: web.xml denies what it does not name
        expect(405, "POST", "events/" + HOSTILE + "1", JSON, valid);
        expect(404, "GET", "events/" + HOSTILE + "unknown");
        expect(404, "GET", "events/" + HOSTILE + "x".repeat(5000));
        expect(404, "GET", "events/" + HOSTILE + "a%2Fb");
        requests.add(new Hostile(406, "GET", "events/" + HOSTILE + "unknown", Map.of("Accept", "application/xml"), null));
    }

    private void batches() {
        expect(415, "POST", "events/batch", null, batch(event()));
        expect(415, "POST", "events/batch", "text/plain", batch(event()));
        expect(400, "POST", "events/batch", JSON, "[1]");
        expect(400, "POST", "events/batch", JSON, "\"x\"");
        expect(400, "POST", "events/batch", JSON, "{\"events\": [");
        expect(422, "POST", "events/batch", JSON, "{}");
        expect(422, "POST", "events/batch", JSON, "{\"events\": null}");
        expect(422, "POST", "events/batch", JSON, "{\"events\": {}}");
        expect(422, "POST", "events/batch", JSON, "{\"events\": []}");
        expect(422, "POST", "events/batch", JSON, "{\"events\": \"all of them\"}");
        expect(404, "GET", "events/batch"); // the state of an event "batch"
    }

    private void users(String existingUser) {
        String user = "users/" + HOSTILE + "u";
        String recipient = "{\"email\": \"ada@example.org\"}";
        expect(422, "PUT", "users/" + HOSTILE + "u".repeat(200), JSON, recipient);
        expect(415, "PUT", user, null, recipient);
        expect(415, "PUT", user, "text/plain", recipient);
        expect(400, "PUT", user, JSON, "[]");
        expect(400, "PUT", user, JSON, "\"ada@example.org\"");
        expect(400, "PUT", user, JSON, "{\"email\": ");
        expect(422, "PUT", user, JSON, "{\"email\": 5}");
        expect(422, "PUT", user, JSON, "{\"email\": \"not an address\"}");
        expect(400, "PUT", user, JSON, "{\"push_tokens\": \"device-1\"}");
        expect(422, "PUT", user, JSON, "{\"push_tokens\": [\"nul\\u0000\"]}");
        expect(422, "PUT", user, JSON, "{\"push_tokens\": [\"\"]}");
        expect(422, "PUT", user, JSON, "{\"locale\": \"!!\"}");
        expect(422, "PUT", user, JSON, "{\"phone\": \"0151 123\"}");
        expect(405, "POST", user, JSON, recipient);
        expect(404, "GET", user);
        expect(404, "DELETE", user);
        expect(404, "GET", user + "/preferences");
        expect(404, "PUT", user + "/preferences", JSON, "{\"event_types\": {}}");
        expect(422, "PUT", existingUser + "/preferences", JSON, "{\"event_types\": 1}");
        expect(422, "PUT", existingUser + "/preferences", JSON, "{\"event_types\": {\"order.cancelled\": {\"channels\": [\"email\"]}}}");
        expect(422, "PUT", existingUser + "/preferences", JSON, "{\"event_types\": {\"order.placed\": {\"channels\": [\"fax\"]}}}");
        expect(400, "PUT", existingUser + "/preferences", JSON, "[]");
        for (String query : List.of("limit=abc", "limit=0", "limit=101", "before=abc", "before=-1", "limit=99999999999999999999")) {
            expect(422, "GET", existingUser + "/events?" + query);
        }
    }

    private void administration() {
        String dlq = "admin/dead-letters/DLQ.notification.sms";
        expect(404, "GET", "admin/dead-letters/" + HOSTILE + "queue");
        for (String query : List.of("page=abc", "page=0", "size=0", "size=100000", "from=yesterday", "to=2026-13-01T00:00:00Z")) {
            expect(422, "GET", dlq + "?" + query);
        }
        expect(404, "GET", dlq + "/" + HOSTILE + "message");
        expect(404, "POST", dlq + "/" + HOSTILE + "message/retry");
        expect(404, "DELETE", dlq + "/" + HOSTILE + "message");
        expect(422, "DELETE", dlq);
        expect(422, "DELETE", dlq + "?all=maybe");
        expect(400, "POST", dlq + "/retries", JSON, "[]");
        expect(422, "POST", dlq + "/retries", JSON, "{}");
        expect(422, "POST", dlq + "/retries", JSON, "{\"all\": true, \"rate_per_second\": 0}");
        expect(415, "POST", dlq + "/retries", null, "{\"all\": true}");
        expect(400, "POST", "admin/history-replays", JSON, "[]");
        expect(422, "POST", "admin/history-replays", JSON, "{}");
        expect(422, "POST", "admin/history-replays", JSON, "{\"subscription\": \"activity\", \"from\": \"x\", \"to\": \"y\"}");
        expect(422, "POST", "admin/history-replays", JSON,
                "{\"subscription\": \"" + HOSTILE + "\", \"from\": \"2026-11-27T08:00:00Z\", \"to\": \"2026-11-27T09:00:00Z\"}");
        expect(404, "GET", "admin/jobs/" + HOSTILE);
        expect(404, "GET", "admin/jobs/" + UUID.randomUUID());
        expect(405, "PUT", "admin/destinations", JSON, "{}");
        expect(405, "DELETE", "admin/jobs");
    }

    private void everywhere() {
        expect(404, "GET", "nope");
        expect(405, "POST", "event-types", JSON, "{}");
        expect(405, "PUT", "templates", JSON, "{}");
        requests.add(new Hostile(401, "GET", "event-types", Map.of(Api.API_KEY, "guessed"), null).anonymous());
        requests.add(new Hostile(401, "POST", "events", Map.of("Content-Type", JSON), event().build().toString()
                .getBytes(StandardCharsets.UTF_8)).anonymous());
        requests.add(new Hostile(403, "GET", "admin/destinations",
                Map.of(Api.API_KEY, System.getenv("NOTIFY_PUBLISHER_API_KEY")), null).anonymous());
    }

    private JsonObjectBuilder event() {
        return Json.createObjectBuilder(Api.event("order.placed", payload()).build())
                .add("event_id", HOSTILE + UUID.randomUUID())
                .add("user_id", HOSTILE + "user");
    }

    private static JsonObjectBuilder payload() {
        return Json.createObjectBuilder().add("order_id", "o-1");
    }

    /** An event whose payload holds this JSON text as a value, which a JSON builder would not write. */
    private String withPayloadNumber(String value) {
        return event().build().toString().replace("\"order_id\":\"o-1\"", "\"order_id\":\"o-1\",\"n\":" + value);
    }

    private static String batch(JsonObjectBuilder event) {
        return Json.createObjectBuilder().add("events", Json.createArrayBuilder().add(event.build())).build().toString();
    }

    private void expect(int status, String method, String path) {
        expect(status, method, path, null, (byte[]) null);
    }

    private void expect(int status, String method, String path, String contentType, String body) {
        expect(status, method, path, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private void expect(int status, String method, String path, String contentType, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        requests.add(new Hostile(status, method, path, headers, body));
    }

    /** One request and the status it must get; as the path's usual caller unless anonymous. */
    private record Hostile(int status, String method, String path, Map<String, String> headers, byte[] body,
                           boolean asAnonymous) {

        Hostile(int status, String method, String path, Map<String, String> headers, byte[] body) {
            this(status, method, path, headers, body, false);
        }

        Hostile anonymous() {
            return new Hostile(status, method, path, headers, body, true);
        }

        void check(Api api) {
            Api.Response response = (asAnonymous ? api.as(Map.of()) : api).send(method, path, headers, body);
            String request = method + " " + (path.length() > 120 ? path.substring(0, 120) + "..." : path);
            assertEquals(status, response.status(), request + ": " + response.body());
            assertTrue(response.contentType().startsWith("application/problem+json"), request + ": " + response.contentType());
            JsonObject problem = response.json();
            assertEquals(status, problem.getInt("status"), request + ": " + response.body());
            assertTrue(problem.containsKey("title") && problem.containsKey("detail"), request + ": " + response.body());
        }
    }
}
