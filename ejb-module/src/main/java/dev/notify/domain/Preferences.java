package dev.notify.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The channels a user chose, per event type; a type they did not choose for gets its defaults.
 * On the wire: {@code {"event_types": {"payment.failed": {"channels": ["sms", "push"]}}}}.
 */
public record Preferences(Map<EventType, Set<Channel>> chosen) {

    public Preferences {
        Map<EventType, Set<Channel>> copy = new EnumMap<>(EventType.class);
        chosen.forEach((type, channels) -> {
            Set<Channel> set = EnumSet.noneOf(Channel.class);
            set.addAll(channels);
            copy.put(type, Collections.unmodifiableSet(set));
        });
        chosen = Collections.unmodifiableMap(copy);
    }

    public static Preferences none() {
        return new Preferences(Map.of());
    }

    public Set<Channel> channelsFor(EventType type) {
        return chosen.getOrDefault(type, type.defaultChannels());
    }

    public boolean isDefault(EventType type) {
        return !chosen.containsKey(type);
    }

    /**
     * Reads the wire form, naming every unknown event type or channel.
     *
     * @throws InvalidFieldsException when something is not known
     */
    public static Preferences fromWire(JsonObject body) {
        List<FieldError> errors = new ArrayList<>();
        Map<EventType, Set<Channel>> chosen = new EnumMap<>(EventType.class);
        JsonValue eventTypes = body.get("event_types");
        if (eventTypes == null || eventTypes.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidFieldsException(List.of(new FieldError("event_types",
                    "must be an object of event types, e.g. {\"payment.failed\": {\"channels\": [\"sms\"]}}")));
        }
        for (Map.Entry<String, JsonValue> entry : eventTypes.asJsonObject().entrySet()) {
            String field = "event_types." + entry.getKey();
            EventType type = EventType.fromWireName(entry.getKey()).orElse(null);
            if (type == null) {
                errors.add(new FieldError(field, "is not a known event type; known types: " + EventType.knownNames()));
                continue;
            }
            JsonValue channels = entry.getValue().getValueType() == JsonValue.ValueType.OBJECT
                    ? entry.getValue().asJsonObject().get("channels") : null;
            if (channels == null || channels.getValueType() != JsonValue.ValueType.ARRAY) {
                errors.add(new FieldError(field + ".channels", "must be an array of channels, possibly empty"));
                continue;
            }
            chosen.put(type, channels((JsonArray) channels, field + ".channels", errors));
        }
        if (!errors.isEmpty()) {
            throw new InvalidFieldsException(errors);
        }
        return new Preferences(chosen);
    }

    private static Set<Channel> channels(JsonArray names, String field, List<FieldError> errors) {
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        for (JsonValue name : names) {
            Channel channel = name instanceof JsonString text ? Channel.fromWireName(text.getString()).orElse(null) : null;
            if (channel == null) {
                errors.add(new FieldError(field, name + " is not a channel; channels: " + Channel.knownNames()));
            } else {
                channels.add(channel);
            }
        }
        return channels;
    }
}
