package dev.notify.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

/** Recipients, their channel preferences, the event-type registry and the templates, as the API shows them. */
class RecipientsIT extends DeployedService {

    private static final String RECIPIENT = """
            {"email": "ada@example.org", "phone": "+4915112345678", "push_tokens": ["device-1"], "locale": "de-CH"}""";

    @Test
    void recipientIsCreatedReplacedReadAndDeleted() {
        String user = "users/" + newUserId();

        Api.Response created = api.put(user, RECIPIENT);
        assertEquals(201, created.status(), created.body());
        assertTrue(created.location().endsWith("/api/v1/" + user), created.location());
        assertEquals("ada@example.org", created.json().getString("email"));
        assertEquals("de-CH", created.json().getString("locale"));

        Api.Response replaced = api.put(user, "{\"email\": \"ada@example.com\"}");
        assertEquals(200, replaced.status(), replaced.body());
        JsonObject stored = api.get(user).json();
        assertEquals("ada@example.com", stored.getString("email"));
        assertFalse(stored.containsKey("phone"), "a replace drops what it leaves out");
        assertEquals(List.of(), stored.getJsonArray("push_tokens"));
        assertEquals("en", stored.getString("locale"));

        assertEquals(204, api.delete(user).status());
        assertProblem(api.get(user), 404);
        assertProblem(api.delete(user), 404);
    }

    @Test
    void invalidRecipientIsRejectedNamingEachField() {
        Api.Response response = api.put("users/" + newUserId(), """
                {"email": "not an address", "phone": "0151 123", "push_tokens": [""], "locale": "deutsch!"}""");

        assertProblem(response, 422);
        assertEquals(List.of("email", "locale", "phone", "push_tokens[0]"), fields(response));
    }

    @Test
    void preferencesAreTheTypesDefaultsUntilChosen() {
        String user = createRecipient();

        JsonObject types = api.get(user + "/preferences").json().getJsonObject("event_types");

        assertEquals(List.of("email", "sms", "push"), names(types.getJsonObject("payment.failed")));
        assertEquals(List.of("push"), names(types.getJsonObject("shipment.updated")));
        assertTrue(types.getJsonObject("order.placed").getBoolean("default"));
    }

    @Test
    void chosenPreferencesReplaceTheDefaultsAndCanBeDropped() {
        String user = createRecipient();

        Api.Response saved = api.put(user + "/preferences", """
                {"event_types": {"payment.failed": {"channels": ["sms"]}, "order.placed": {"channels": []}}}""");
        assertEquals(200, saved.status(), saved.body());
        JsonObject types = api.get(user + "/preferences").json().getJsonObject("event_types");
        assertEquals(List.of("sms"), names(types.getJsonObject("payment.failed")));
        assertEquals(List.of(), names(types.getJsonObject("order.placed")));
        assertFalse(types.getJsonObject("order.placed").getBoolean("default"));
        assertTrue(types.getJsonObject("shipment.updated").getBoolean("default"));

        api.put(user + "/preferences", "{\"event_types\": {}}");
        assertTrue(api.get(user + "/preferences").json().getJsonObject("event_types")
                .getJsonObject("payment.failed").getBoolean("default"));
    }

    @Test
    void unknownEventTypesAndChannelsInPreferencesAreRejectedNamingThem() {
        String user = createRecipient();

        Api.Response response = api.put(user + "/preferences", """
                {"event_types": {"order.refunded": {"channels": ["email"]}, "payment.failed": {"channels": ["fax"]}}}""");

        assertProblem(response, 422);
        assertEquals(List.of("event_types.order.refunded", "event_types.payment.failed.channels"), fields(response));
    }

    @Test
    void preferencesOfAnUnknownUserAreNotFound() {
        assertProblem(api.get("users/" + newUserId() + "/preferences"), 404);
        assertProblem(api.put("users/" + newUserId() + "/preferences", "{\"event_types\": {}}"), 404);
    }

    @Test
    void eventTypesAreListedWithTheirRequiredFieldsAndDefaultChannels() {
        Api.Response response = api.get("event-types");

        assertEquals(200, response.status());
        List<JsonObject> types = api.get("event-types").jsonArray().getValuesAs(JsonObject.class);
        assertEquals(List.of("order.placed", "payment.failed", "shipment.updated"),
                types.stream().map(type -> type.getString("event_type")).toList());
        JsonObject shipment = types.get(2);
        assertEquals(List.of("shipment_id", "status"), strings(shipment.getJsonArray("required_payload_fields")));
        assertEquals(List.of("push"), strings(shipment.getJsonArray("default_channels")));
    }

    @Test
    void templatesAreListedForEveryEventTypeChannelAndPart() {
        List<JsonObject> templates = api.get("templates").jsonArray().getValuesAs(JsonObject.class);

        assertEquals(3 * 5, templates.size(), "3 event types, 5 parts over 3 channels");
        JsonObject subject = templates.stream()
                .filter(t -> t.getString("event_type").equals("order.placed") && t.getString("part").equals("subject"))
                .findFirst().orElseThrow();
        assertEquals("email", subject.getString("channel"));
        assertEquals("Your order ${payload.order_id} is confirmed", subject.getString("template"));
    }

    private String createRecipient() {
        String user = "users/" + newUserId();
        assertEquals(201, api.put(user, RECIPIENT).status());
        return user;
    }

    private static String newUserId() {
        return "it-user-" + UUID.randomUUID();
    }

    private static List<String> names(JsonObject channels) {
        return strings(channels.getJsonArray("channels"));
    }
}
