package dev.notify.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

class WireJsonTest {

    private static final String VALID = """
            {"event_id": "evt-1", "event_type": "order.placed", "user_id": "user-7",
             "timestamp": "2026-11-25T10:15:30+01:00", "payload": {"order_id": "o-9", "total": 12.5},
             "metadata": {"trace_id": "abc"}}""";

    @Test
    void readsTheSnakeCaseWireFormat() {
        PublishedEvent event = WireJson.read(VALID, PublishedEvent.class);

        assertEquals("evt-1", event.eventId());
        assertEquals("order.placed", event.eventType());
        assertEquals("user-7", event.userId());
        assertEquals(OffsetDateTime.parse("2026-11-25T10:15:30+01:00"), event.timestamp());
        assertEquals("o-9", event.payload().getString("order_id"));
        assertEquals("abc", event.metadata().getString("trace_id"));
    }

    @Test
    void writtenEventReadsBackUnchanged() {
        PublishedEvent event = WireJson.read(VALID, PublishedEvent.class);

        assertEquals(event, WireJson.read(WireJson.write(event), PublishedEvent.class));
        assertTrue(WireJson.write(event).contains("\"event_id\":\"evt-1\""), WireJson.write(event));
    }

    @Test
    void metadataIsOptional() {
        PublishedEvent event = WireJson.read(VALID.replaceAll(",\\s*\"metadata\":\\s*\\{[^}]*}", ""), PublishedEvent.class);

        assertNull(event.metadata());
    }

    @Test
    void namesEveryBrokenRuleByItsWireName() {
        InvalidFieldsException invalid = assertThrows(InvalidFieldsException.class, () -> WireJson.read("""
                {"event_id": "has spaces", "event_type": "order.cancelled", "user_id": " ", "payload": {}}""", PublishedEvent.class));

        assertEquals(List.of("event_id", "event_type", "timestamp", "user_id"),
                invalid.errors().stream().map(FieldError::field).toList());
        assertTrue(invalid.errors().get(1).message().contains("known types: order.placed, payment.failed, shipment.updated"),
                invalid.errors().get(1).message());
    }

    @Test
    void payloadMustHoldTheFieldsItsTypeRequires() {
        InvalidFieldsException invalid = assertThrows(InvalidFieldsException.class, () -> WireJson.read("""
                {"event_id": "evt-2", "event_type": "shipment.updated", "user_id": "user-7",
                 "timestamp": "2026-11-25T10:15:30Z", "payload": {"status": null}}""", PublishedEvent.class));

        assertEquals(List.of(new FieldError("payload.shipment_id", "is required for shipment.updated"),
                new FieldError("payload.status", "is required for shipment.updated")), invalid.errors());
    }

    @Test
    void listElementsAreNamedByTheirIndex() {
        InvalidFieldsException invalid = assertThrows(InvalidFieldsException.class, () -> WireJson.read(
                "{\"push_tokens\": [\"ok\", \" \"]}", dev.notify.domain.RecipientDetails.class));

        assertEquals(List.of("push_tokens[1]"), invalid.errors().stream().map(FieldError::field).toList());
    }

    @Test
    void textThatIsNotAnEventIsMalformed() {
        assertThrows(MalformedJsonException.class, () -> WireJson.read("{\"event_id\": ", PublishedEvent.class));
        assertThrows(MalformedJsonException.class, () -> WireJson.read("[1, 2]", PublishedEvent.class));
        assertThrows(MalformedJsonException.class, () -> WireJson.read("null", PublishedEvent.class));
        assertThrows(MalformedJsonException.class, () -> WireJson.read("  ", PublishedEvent.class));
        assertThrows(MalformedJsonException.class, () -> WireJson.read(VALID.replace("{\"order_id\": \"o-9\", \"total\": 12.5}", "\"text\""), PublishedEvent.class));
    }

    @Test
    void anythingButAnObjectIsMalformedAndSaysWhatItGot() {
        for (var given : List.of(List.of("[1]", "an array"), List.of(" \"x\"", "a string"), List.of("7", "a number"),
                List.of("true", "a boolean"), List.of("null", "null"), List.of("<event/>", "text that is not JSON"))) {
            MalformedJsonException malformed = assertThrows(MalformedJsonException.class,
                    () -> WireJson.read(given.get(0), PublishedEvent.class));
            assertEquals("expected a JSON object, got " + given.get(1), malformed.getMessage());
        }
    }

    @Test
    void valuesPostgresqlCannotStoreAreRefusedByField() {
        InvalidFieldsException invalid = assertThrows(InvalidFieldsException.class, () -> WireJson.read("""
                {"event_id": "evt-3", "event_type": "order.placed", "user_id": "user\\u0000",
                 "timestamp": "+10000-01-01T00:00:00Z", "payload": {"order_id": "o-1", "total": 1e999999999},
                 "metadata": {"note\\u0000": 1}}""", PublishedEvent.class));

        assertEquals(List.of("metadata", "payload", "timestamp", "user_id"),
                invalid.errors().stream().map(FieldError::field).toList());
        assertTrue(invalid.errors().get(1).message().startsWith("holds a number beyond what can be stored"), invalid.errors().toString());
        assertTrue(invalid.errors().get(3).message().startsWith("holds the NUL character"), invalid.errors().toString());
    }

    @Test
    void numbersWithinNumericsRangeAreKept() {
        PublishedEvent event = WireJson.read(VALID.replace("12.5", "-1.5e300"), PublishedEvent.class);

        assertEquals(new java.math.BigDecimal("-1.5e300"), event.payload().getJsonNumber("total").bigDecimalValue());
    }
}
