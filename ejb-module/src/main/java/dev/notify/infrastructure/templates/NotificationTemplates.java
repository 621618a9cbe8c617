package dev.notify.infrastructure.templates;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateNotFoundException;

import dev.notify.domain.Channel;
import dev.notify.domain.EventType;
import dev.notify.domain.PublishedEvent;

/**
 * Renders a notification from the templates under {@code templates/<event type>/<channel>/<part>.ftl}
 * (FreeMarker), in the user's language where a localized variant exists ({@code body_de.ftl},
 * {@code body_de_CH.ftl}), else in the default one. Templates see {@code payload} (the event's
 * payload), {@code event} (its id, type, user and timestamp).
 */
@ApplicationScoped
public class NotificationTemplates {

    static final String ROOT = "templates";

    private final Configuration freemarker = configuration();

    /** Each part of the channel (subject and body, text, title and body), rendered. */
    public Map<String, String> render(PublishedEvent event, Channel channel, Locale locale) {
        EventType type = EventType.fromWireName(event.eventType()).orElseThrow();
        Map<String, Object> model = Map.of(
                "payload", plain(event.payload()),
                "event", Map.of("event_id", event.eventId(), "event_type", event.eventType(),
                        "user_id", event.userId(), "timestamp", event.timestamp().toString()));
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : channel.parts()) {
            parts.put(part, render(path(type, channel, part), locale, model));
        }
        return parts;
    }

    /** A template as it ships: where it is, and its text in the default language. */
    public record Source(EventType type, Channel channel, String part, String path, String text) {
    }

    /** Every template of the registry's event types and channels, in their default language. */
    public List<Source> sources() {
        List<Source> sources = new ArrayList<>();
        for (EventType type : EventType.values()) {
            for (Channel channel : Channel.values()) {
                for (String part : channel.parts()) {
                    String path = path(type, channel, part);
                    try {
                        sources.add(new Source(type, channel, part, ROOT + "/" + path,
                                freemarker.getTemplate(path, Locale.ROOT).toString()));
                    } catch (IOException e) {
                        throw new IllegalStateException("no template " + ROOT + "/" + path, e);
                    }
                }
            }
        }
        return sources;
    }

    static String path(EventType type, Channel channel, String part) {
        return type.wireName() + "/" + channel.wireName() + "/" + part + ".ftl";
    }

    private String render(String path, Locale locale, Map<String, Object> model) {
        try {
            Template template = freemarker.getTemplate(path, locale);
            StringWriter text = new StringWriter();
            template.process(model, text);
            return text.toString().strip();
        } catch (TemplateNotFoundException e) {
            throw new IllegalStateException("no template " + ROOT + "/" + path, e);
        } catch (IOException | TemplateException e) {
            throw new IllegalStateException("template " + ROOT + "/" + path + " failed: " + e.getMessage(), e);
        }
    }

    private static Configuration configuration() {
        Configuration configuration = new Configuration(Configuration.VERSION_2_3_34);
        configuration.setClassLoaderForTemplateLoading(NotificationTemplates.class.getClassLoader(), ROOT);
        configuration.setDefaultEncoding("UTF-8");
        configuration.setLocalizedLookup(true);
        // the templates are part of the deployment: found once, never checked for changes on the class path again
        configuration.setTemplateUpdateDelayMilliseconds(Long.MAX_VALUE);
        // ids and amounts as written, not as "12,345"
        configuration.setNumberFormat("computer");
        configuration.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        configuration.setLogTemplateExceptions(false);
        return configuration;
    }

    /** JSON as the plain Java values a template engine understands. */
    private static Object plain(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                ((JsonObject) value).forEach((name, member) -> map.put(name, plain(member)));
                yield map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                ((JsonArray) value).forEach(element -> list.add(plain(element)));
                yield list;
            }
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> ((JsonNumber) value).bigDecimalValue();
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case NULL -> null;
        };
    }
}
