package dev.notify.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.EnumSet;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

class PreferencesTest {

    @Test
    void eventTypesNotChosenGetTheirDefaults() {
        Preferences preferences = Preferences.none();

        assertEquals(EnumSet.allOf(Channel.class), preferences.channelsFor(EventType.PAYMENT_FAILED));
        assertEquals(EnumSet.of(Channel.PUSH), preferences.channelsFor(EventType.SHIPMENT_UPDATED));
        assertTrue(preferences.isDefault(EventType.ORDER_PLACED));
    }

    @Test
    void chosenChannelsReplaceTheDefaultsEvenWhenNone() {
        Preferences preferences = Preferences.fromWire(json("""
                {"event_types": {"payment.failed": {"channels": ["sms"]}, "order.placed": {"channels": []}}}"""));

        assertEquals(EnumSet.of(Channel.SMS), preferences.channelsFor(EventType.PAYMENT_FAILED));
        assertEquals(EnumSet.noneOf(Channel.class), preferences.channelsFor(EventType.ORDER_PLACED));
        assertFalse(preferences.isDefault(EventType.ORDER_PLACED));
        assertTrue(preferences.isDefault(EventType.SHIPMENT_UPDATED));
    }

    @Test
    void unknownEventTypesAndChannelsAreEachNamed() {
        InvalidFieldsException invalid = assertThrows(InvalidFieldsException.class, () -> Preferences.fromWire(json("""
                {"event_types": {"order.refunded": {"channels": ["email"]},
                                 "payment.failed": {"channels": ["fax", "sms"]},
                                 "shipment.updated": ["push"]}}""")));

        assertEquals(List.of("event_types.order.refunded", "event_types.payment.failed.channels",
                        "event_types.shipment.updated.channels"),
                invalid.errors().stream().map(FieldError::field).toList());
        assertTrue(invalid.errors().get(1).message().startsWith("\"fax\" is not a channel; channels: email, sms, push"),
                invalid.errors().get(1).message());
    }

    @Test
    void aBodyWithoutEventTypesIsRejected() {
        assertThrows(InvalidFieldsException.class, () -> Preferences.fromWire(json("{\"payment.failed\": [\"sms\"]}")));
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
