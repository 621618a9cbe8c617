package dev.notify.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.notify.domain.PublishedEvent;

class EventJsonTest {

    private static final String VALID = """
            {"event_id": "evt-1", "event_type": "order.placed", "user_id": "user-7",
             "timestamp": "2026-11-25T10:15:30+01:00", "payload": {"order_id": "o-9", "total": 12.5},
             "metadata": {"trace_id": "abc"}}""";

    @Test
    void readsTheSnakeCaseWireFormat() {
        PublishedEvent event = EventJson.read(VALID);

        assertEquals("evt-1", event.eventId());
        assertEquals("order.placed", event.eventType());
        assertEquals("user-7", event.userId());
        assertEquals(OffsetDateTime.parse("2026-11-25T10:15:30+01:00"), event.timestamp());
        assertEquals("o-9", event.payload().getString("order_id"));
        assertEquals("abc", event.metadata().getString("trace_id"));
    }

    @Test
    void writtenEventReadsBackUnchanged() {
        PublishedEvent event = EventJson.read(VALID);

        assertEquals(event, EventJson.read(EventJson.write(event)));
        assertTrue(EventJson.write(event).contains("\"event_id\":\"evt-1\""), EventJson.write(event));
    }

    @Test
    void metadataIsOptional() {
        PublishedEvent event = EventJson.read(VALID.replaceAll(",\\s*\"metadata\":\\s*\\{[^}]*}", ""));

        assertNull(event.metadata());
    }

    @Test
    void namesEveryBrokenRuleByItsWireName() {
        InvalidEventException invalid = assertThrows(InvalidEventException.class, () -> EventJson.read("""
                {"event_id": "has spaces", "event_type": "order.cancelled", "user_id": " ", "payload": {}}"""));

        assertEquals(List.of("event_id", "event_type", "timestamp", "user_id"),
                invalid.errors().stream().map(FieldError::field).toList());
        assertTrue(invalid.errors().get(1).message().contains("known types: order.placed, payment.failed, shipment.updated"),
                invalid.errors().get(1).message());
    }

    @Test
    void textThatIsNotAnEventIsMalformed() {
        assertThrows(MalformedEventException.class, () -> EventJson.read("{\"event_id\": "));
        assertThrows(MalformedEventException.class, () -> EventJson.read("[1, 2]"));
        assertThrows(MalformedEventException.class, () -> EventJson.read("null"));
        assertThrows(MalformedEventException.class, () -> EventJson.read("  "));
        assertThrows(MalformedEventException.class, () -> EventJson.read(VALID.replace("{\"order_id\": \"o-9\", \"total\": 12.5}", "\"text\"")));
    }
}
