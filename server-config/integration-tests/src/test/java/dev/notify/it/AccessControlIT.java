package dev.notify.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

/** Who may do what: publishers publish, operators administer, both read an event's state. */
class AccessControlIT extends DeployedService {

    private static final Map<String, String> PUBLISHER_KEY = Map.of(Api.API_KEY, System.getenv("NOTIFY_PUBLISHER_API_KEY"));
    private static final Map<String, String> PUBLISHER_LOGIN = Api.basic(System.getenv("NOTIFY_PUBLISHER_USER"),
            System.getenv("NOTIFY_PUBLISHER_PASSWORD"));

    @Test
    void anonymousAndWrongRoleAreRejected() {
        Api anonymous = api.as(Map.of());
        JsonObject event = Api.event("order.placed", Json.createObjectBuilder().add("order_id", "o-ac")).build();

        Api.Response unauthenticated = anonymous.publish(event);
        assertProblem(unauthenticated, 401);
        assertTrue(unauthenticated.json().getString("detail").contains("needs a login"), unauthenticated.body());
        assertProblem(anonymous.get("admin/destinations"), 401);
        assertProblem(anonymous.get("events/" + event.getString("event_id")), 401);
        assertProblem(anonymous.get("users/someone"), 401);

        assertProblem(api.as(PUBLISHER_KEY).get("admin/destinations"), 403);
        assertProblem(api.as(PUBLISHER_LOGIN).get("admin/destinations"), 403);
        assertProblem(api.as(Api.operator()).publish(event), 403);
        assertProblem(api.as(Api.operator()).get("users/someone"), 403);

        assertProblem(api.as(Map.of(Api.API_KEY, "guessed")).publish(event), 401);
        assertProblem(api.as(Api.basic(System.getenv("NOTIFY_OPERATOR_USER"), "guessed")).get("admin/destinations"), 401);
        assertProblem(api.as(Api.basic("nobody", "guessed")).get("event-types"), 401);
    }

    @Test
    void eachRoleDoesItsWork() {
        JsonObject event = Api.event("order.placed", Json.createObjectBuilder().add("order_id", "o-ac2")).build();
        String state = "events/" + event.getString("event_id");

        assertEquals(202, api.as(PUBLISHER_LOGIN).publish(event).status());
        assertEquals(200, api.as(PUBLISHER_KEY).get(state).status());
        assertEquals(200, api.as(Api.operator()).get(state).status());
        assertEquals(200, api.as(Api.operator()).get("admin/destinations").status());
        assertEquals(200, api.as(PUBLISHER_KEY).get("event-types").status());
    }
}
