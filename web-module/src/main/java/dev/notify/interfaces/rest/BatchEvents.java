package dev.notify.interfaces.rest;

import static dev.notify.domain.JsonApi.JSON;

import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;

import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;

import dev.notify.domain.FieldError;
import dev.notify.domain.InvalidFieldsException;
import dev.notify.domain.MalformedJsonException;

/**
 * The events of a batch body, {@code {"events": [...]}}, read one at a time as the body arrives:
 * the heap holds one event's tree at a time, not the whole body's, however large the batch.
 */
final class BatchEvents {

    private BatchEvents() {
    }

    /**
     * Hands each item of the body's {@code events} array to the action, in order; then checks that
     * the body ends well, and that it held 1 to {@code maxEvents} items.
     *
     * @throws MalformedJsonException when the body is not a JSON object
     * @throws InvalidFieldsException when {@code events} is not an array of 1 to {@code maxEvents} items
     */
    static void forEach(InputStream body, int maxEvents, Consumer<JsonValue> action) {
        int events = 0;
        try (JsonParser parser = JSON.createParser(body)) {
            if (!parser.hasNext()) {
                throw new MalformedJsonException("the body is empty; expected a JSON object");
            }
            JsonParser.Event first = parser.next();
            if (first != JsonParser.Event.START_OBJECT) {
                throw new MalformedJsonException("expected a JSON object, got " + describe(first));
            }
            boolean seen = false;
            for (JsonParser.Event next = parser.next(); next == JsonParser.Event.KEY_NAME; next = parser.next()) {
                boolean isEvents = parser.getString().equals("events");
                JsonParser.Event value = parser.next();
                if (isEvents && seen) {
                    throw invalid("is given twice");
                }
                seen |= isEvents;
                if (isEvents && value == JsonParser.Event.START_ARRAY) {
                    events = 0;
                    while (parser.next() != JsonParser.Event.END_ARRAY) {
                        JsonValue item = parser.getValue();
                        // past the limit, only counted: the batch is refused whole
                        if (++events <= maxEvents) {
                            action.accept(item);
                        }
                    }
                } else {
                    skip(parser, value);
                }
            }
            if (parser.hasNext()) {
                throw new MalformedJsonException("not JSON: more after the object's end");
            }
        } catch (JsonException e) {
            throw new MalformedJsonException("not JSON of the expected shape: " + e.getMessage());
        }
        if (events < 1) {
            throw invalid("must be an array of 1 to " + maxEvents + " events");
        }
        if (events > maxEvents) {
            throw invalid("holds " + events + " events; a batch takes at most " + maxEvents);
        }
    }

    private static void skip(JsonParser parser, JsonParser.Event value) {
        if (value == JsonParser.Event.START_OBJECT) {
            parser.skipObject();
        } else if (value == JsonParser.Event.START_ARRAY) {
            parser.skipArray();
        }
    }

    private static String describe(JsonParser.Event first) {
        return switch (first) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "a number";
        };
    }

    private static InvalidFieldsException invalid(String message) {
        return new InvalidFieldsException(List.of(new FieldError("events", message)));
    }
}
