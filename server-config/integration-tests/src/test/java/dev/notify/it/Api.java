package dev.notify.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * The REST API as a client sees it. By default it calls as the caller each path is for: the
 * operator under admin/, the publisher (with its API key) elsewhere; {@link #as} picks one.
 */
final class Api {

    static final String API_KEY = "X-API-Key";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /**
     * For requests as they come: HTTP/1.1, as most clients speak it. Over the JDK's default (an
     * upgrade to cleartext HTTP/2), Payara answers 431 to ordinary requests on a connection that
     * once carried a 5,000-character path.
     */
    private static final HttpClient HTTP_1_1 = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;
    private final Function<String, Map<String, String>> credentials;

    /** The servers may report an external interface; they listen on loopback too, where tests go. */
    Api(URL deployment) {
        this(URI.create("http://127.0.0.1:" + deployment.getPort() + "/api/v1/"),
                path -> path.startsWith("admin/") ? operator() : Map.of(API_KEY, System.getenv("NOTIFY_PUBLISHER_API_KEY")));
    }

    /**
     * MicroProfile Health, anonymously, as probes call it: WildFly serves it on its management
     * interface ({@code it.management.port}), Payara beside the application.
     */
    static Api health(URL deployment) {
        String port = System.getProperty("it.management.port", Integer.toString(deployment.getPort()));
        return new Api(URI.create("http://127.0.0.1:" + port + "/health/"), path -> Map.of());
    }

    /** The server's own endpoints beside the application ({@code /openapi}), anonymously. */
    static Api server(URL deployment) {
        return new Api(URI.create("http://127.0.0.1:" + deployment.getPort() + "/"), path -> Map.of());
    }

    private Api(URI base, Function<String, Map<String, String>> credentials) {
        this.base = base;
        this.credentials = credentials;
    }

    /** The same API called with these headers only (none: anonymously). */
    Api as(Map<String, String> headers) {
        return new Api(base, path -> headers);
    }

    static Map<String, String> operator() {
        return basic(System.getenv("NOTIFY_OPERATOR_USER"), System.getenv("NOTIFY_OPERATOR_PASSWORD"));
    }

    static Map<String, String> basic(String user, String password) {
        return Map.of("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    Response post(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A body sent as a stream, without a length (chunked): the server learns its size only as it reads. */
    Response postStreamed(String path, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))), HTTP_1_1);
    }

    Response publish(JsonObject event) {
        return post("events", "application/json", event.toString());
    }

    Response put(String path, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Response delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    /** Any request: a method, headers and a body as they come (null: none), as a hostile client sends them. */
    Response send(String method, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request, HTTP_1_1);
    }

    private Response send(HttpRequest.Builder request) {
        return send(request, HTTP);
    }

    private Response send(HttpRequest.Builder request, HttpClient client) {
        credentials.apply(base.relativize(request.build().uri()).toString()).forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Location").orElse(null),
                    response.headers().firstValue("Retry-After").orElse(null),
                    response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A valid event with a fresh id; the payload is what the test adds to it. */
    static JsonObjectBuilder event(String eventType, JsonObjectBuilder payload) {
        return Json.createObjectBuilder()
                .add("event_id", "it-" + UUID.randomUUID())
                .add("event_type", eventType)
                .add("user_id", "user-" + UUID.randomUUID())
                .add("timestamp", Instant.now().toString())
                .add("payload", payload)
                .add("metadata", Json.createObjectBuilder().add("source", "integration-test"));
    }

    static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    record Response(int status, String contentType, String location, String retryAfter, String body) {
        JsonObject json() {
            return parse(body);
        }

        jakarta.json.JsonArray jsonArray() {
            return Json.createReader(new StringReader(body)).readArray();
        }
    }
}
