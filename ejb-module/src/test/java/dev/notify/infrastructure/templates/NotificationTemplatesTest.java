package dev.notify.infrastructure.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.notify.domain.Channel;
import dev.notify.domain.EventType;
import dev.notify.domain.PublishedEvent;
import dev.notify.domain.WireJson;

class NotificationTemplatesTest {

    private final NotificationTemplates templates = new NotificationTemplates();

    private static final PublishedEvent ORDER = WireJson.read("""
            {"event_id": "evt-1", "event_type": "order.placed", "user_id": "user-7",
             "timestamp": "2026-11-25T10:15:30Z", "payload": {"order_id": 12345, "total": 1234.5}}""", PublishedEvent.class);

    @Test
    void rendersEveryPartOfAChannelWithThePayload() {
        Map<String, String> email = templates.render(ORDER, Channel.EMAIL, Locale.ENGLISH);

        assertEquals("Your order 12345 is confirmed", email.get("subject"));
        assertTrue(email.get("body").contains("thank you for your order 12345 of 1234.5"), email.get("body"));
        assertEquals(Map.of("title", "Order confirmed", "body", "Your order 12345 is confirmed."),
                templates.render(ORDER, Channel.PUSH, Locale.ENGLISH));
    }

    @Test
    void picksTheUsersLanguageAndFallsBackToTheDefault() {
        assertEquals("Ihre Bestellung 12345 ist bestätigt",
                templates.render(ORDER, Channel.EMAIL, Locale.forLanguageTag("de-CH")).get("subject"));
        assertEquals("Bestellung 12345 bestätigt.", templates.render(ORDER, Channel.SMS, Locale.forLanguageTag("de")).get("text"));
        assertEquals("Order 12345 confirmed.", templates.render(ORDER, Channel.SMS, Locale.FRENCH).get("text"));
    }

    /** In the default language, and in German: the languages the service ships. */
    @Test
    void everyEventTypeHasATemplateForEveryPartOfEveryChannelInEveryLanguageShipped() {
        for (EventType type : EventType.values()) {
            for (Channel channel : Channel.values()) {
                for (String part : channel.parts()) {
                    String path = NotificationTemplates.ROOT + "/" + NotificationTemplates.path(type, channel, part);
                    for (String variant : new String[] {path, path.replace(".ftl", "_de.ftl")}) {
                        URL template = getClass().getClassLoader().getResource(variant);
                        assertTrue(template != null, "missing " + variant);
                    }
                }
            }
        }
    }
}
