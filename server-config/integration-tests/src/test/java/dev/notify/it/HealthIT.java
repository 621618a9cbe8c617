package dev.notify.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MicroProfile Health where each server serves it, as a probe calls it. */
class HealthIT extends DeployedService {

    Api health;

    @BeforeEach
    void probe() {
        health = Api.health(deploymentUrl);
    }

    @Test
    void readyWhileTheDatabaseAnswersWithTheOutboxAsData() {
        Api.Response ready = health.get("ready");

        assertEquals(200, ready.status(), ready.body());
        assertEquals("UP", ready.json().getString("status"));
        JsonObject database = check(ready, "database").orElseThrow();
        assertEquals("UP", database.getString("status"));
        assertTrue(number(database.getJsonObject("data"), "outbox_messages") >= 0, ready.body());
        assertTrue(number(database.getJsonObject("data"), "outbox_oldest_age_seconds") >= 0, ready.body());
    }

    @Test
    void startedWithTheMigratedSchema() {
        Api.Response started = health.get("started");

        assertEquals(200, started.status(), started.body());
        JsonObject schema = check(started, "schema").orElseThrow();
        assertEquals("UP", schema.getString("status"));
        assertEquals(Db.schemaVersion(), schema.getJsonObject("data").getString("version"));
        assertEquals(0, number(schema.getJsonObject("data"), "pending_migrations"), started.body());
    }

    @Test
    void live() {
        Api.Response live = health.get("live");

        assertEquals(200, live.status(), live.body());
        assertEquals("UP", live.json().getString("status"));
    }

    @Test
    void notReadyWithoutTheDatabaseAndReadyAgainWhenItIsBack() {
        Db.refuseConnections();
        try {
            await("readiness to fail without the database").atMost(Duration.ofSeconds(30))
                    .until(() -> health.get("ready").status() == 503);
            Api.Response notReady = health.get("ready");
            assertEquals("DOWN", notReady.json().getString("status"));
            assertEquals("DOWN", check(notReady, "database").orElseThrow().getString("status"), notReady.body());
            assertEquals(200, health.get("live").status(), "an instance without its database is not dead");
        } finally {
            Db.acceptConnections();
        }
        await("readiness once the database is back").atMost(Duration.ofSeconds(60))
                .until(() -> health.get("ready").status() == 200);
    }

    /** A number of a check's data: Payara writes it as a JSON string, WildFly as a number. */
    private static long number(JsonObject data, String key) {
        JsonValue value = data.get(key);
        return value instanceof JsonString text ? Long.parseLong(text.getString()) : ((JsonNumber) value).longValue();
    }

    private static Optional<JsonObject> check(Api.Response response, String name) {
        return response.json().getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(check -> check.getString("name").equals(name))
                .findFirst();
    }
}
