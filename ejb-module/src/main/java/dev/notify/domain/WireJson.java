package dev.notify.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.config.PropertyNamingStrategy;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;

/**
 * The one place where what crosses the wire (REST bodies, messages) becomes objects and back, and
 * is checked: snake_case JSON, validated with Bean Validation, errors named by their wire names.
 * The REST resources and the consumers read the same way, whoever produced the JSON.
 */
public final class WireJson {

    private static final PropertyNamingStrategy WIRE_NAMES = new SnakeCase();

    private static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig()
            .withPropertyNamingStrategy(WIRE_NAMES)
            .withNullValues(false));

    private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();

    private WireJson() {
    }

    public static String write(Object value) {
        return JSONB.toJson(value);
    }

    /**
     * Parses and validates.
     *
     * @throws MalformedJsonException when the text is not JSON of the type's shape
     * @throws InvalidFieldsException when it is, but breaks a rule
     */
    public static <T> T read(String json, Class<T> type) {
        return requireValid(parse(json, type));
    }

    /**
     * The value, when it keeps its rules.
     *
     * @throws InvalidFieldsException when it breaks one
     */
    public static <T> T requireValid(T value) {
        List<FieldError> errors = validate(value);
        if (!errors.isEmpty()) {
            throw new InvalidFieldsException(errors);
        }
        return value;
    }

    /**
     * Parses a JSON object whose rules the caller checks itself.
     *
     * @throws MalformedJsonException when the text is not a JSON object
     */
    public static JsonObject readObject(String json) {
        return parse(json, JsonObject.class);
    }

    private static <T> T parse(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new MalformedJsonException("the body is empty; expected a JSON object");
        }
        // every body and message is an object: anything else is refused before the binding
        // reports it in terms of our classes
        char first = json.strip().charAt(0);
        if (first != '{') {
            throw new MalformedJsonException("expected a JSON object, got " + switch (first) {
                case '[' -> "an array";
                case '"' -> "a string";
                case 't', 'f' -> "a boolean";
                case 'n' -> "null";
                case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> "a number";
                default -> "text that is not JSON";
            });
        }
        try {
            return JSONB.fromJson(json, type);
        } catch (JsonbException | ClassCastException e) {
            throw new MalformedJsonException("not JSON of the expected shape: " + rootMessage(e));
        }
    }

    /** Whether the value keeps every rule of the type's property (an id from a URL, for example). */
    public static boolean fits(Class<?> type, String property, Object value) {
        return VALIDATION.getValidator().validateValue(type, property, value).isEmpty();
    }

    static List<FieldError> validate(Object value) {
        return VALIDATION.getValidator().validate(value).stream()
                .map(v -> new FieldError(wireName(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
                .toList();
    }

    /** pushTokens[0].&lt;list element&gt; as push_tokens[0]. */
    private static String wireName(Path path) {
        StringBuilder name = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getName() != null && !node.getName().startsWith("<")) {
                if (!name.isEmpty()) {
                    name.append('.');
                }
                name.append(WIRE_NAMES.translateName(node.getName()));
            }
            if (node.getIndex() != null) {
                name.append('[').append(node.getIndex()).append(']');
            }
        }
        return name.toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** eventId to event_id. */
    static final class SnakeCase implements PropertyNamingStrategy {
        @Override
        public String translateName(String name) {
            return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        }
    }
}
