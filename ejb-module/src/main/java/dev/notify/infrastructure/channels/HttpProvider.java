package dev.notify.infrastructure.channels;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;

/**
 * An SMS or push provider's HTTP API: JSON posted with the notification id as the
 * {@code Idempotency-Key}, so that a provider can drop the repeat of a send we retried. A 2xx is
 * done; 408 and 429 are temporary, to be tried again when their {@code Retry-After} says; any
 * other 4xx is a permanent refusal; a 5xx or a timeout is worth another try.
 */
final class HttpProvider {

    /** Thread-safe and costly to build: one for all workers. */
    private static final Client CLIENT = ClientBuilder.newBuilder()
            .connectTimeout(2, TimeUnit.SECONDS)
            .readTimeout(5, TimeUnit.SECONDS)
            .build();

    private static final int MAX_BODY_IN_REASON = 300;

    private HttpProvider() {
    }

    static void post(String endpoint, UUID notificationId, JsonObject body) throws PermanentFailure {
        try (Response response = CLIENT.target(endpoint).request()
                .header("Idempotency-Key", notificationId.toString())
                .post(Entity.json(body.toString()))) {
            int status = response.getStatus();
            if (status / 100 == 2) {
                return;
            }
            String reason = "the provider at " + endpoint + " answered " + status + ": " + excerpt(response.readEntity(String.class));
            if (status == 408 || status == 429) {
                throw new TemporaryFailure(reason, TemporaryFailure.retryAfterHeader(response.getHeaderString("Retry-After")));
            }
            if (status / 100 == 4) {
                throw new PermanentFailure(reason);
            }
            throw new IllegalStateException(reason);
        }
    }

    private static String excerpt(String body) {
        return body == null ? "" : body.length() > MAX_BODY_IN_REASON ? body.substring(0, MAX_BODY_IN_REASON) + "..." : body;
    }
}
