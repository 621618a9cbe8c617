package dev.notify.application;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.config.PropertyNamingStrategy;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import dev.notify.domain.PublishedEvent;

/**
 * The one place where an event becomes JSON and back, and where it is checked: the REST resource
 * and the consumers read events the same way, whoever produced them.
 */
public final class EventJson {

    /** snake_case on the wire; also names the fields in validation errors. */
    private static final PropertyNamingStrategy WIRE_NAMES = new SnakeCase();

    private static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig()
            .withPropertyNamingStrategy(WIRE_NAMES)
            .withNullValues(false));

    private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();

    private EventJson() {
    }

    public static String write(PublishedEvent event) {
        return JSONB.toJson(event);
    }

    /**
     * Parses and validates.
     *
     * @throws MalformedEventException when the text is not an event's JSON
     * @throws InvalidEventException   when it is, but breaks a rule
     */
    public static PublishedEvent read(String json) {
        PublishedEvent event = parse(json);
        List<FieldError> errors = validate(event);
        if (!errors.isEmpty()) {
            throw new InvalidEventException(errors);
        }
        return event;
    }

    private static PublishedEvent parse(String json) {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("the body is empty; expected an event as a JSON object");
        }
        try {
            PublishedEvent event = JSONB.fromJson(json, PublishedEvent.class);
            if (event == null) {
                throw new MalformedEventException("expected an event as a JSON object, got null");
            }
            return event;
        } catch (JsonbException | ClassCastException e) {
            throw new MalformedEventException("not an event's JSON: " + rootMessage(e));
        }
    }

    static List<FieldError> validate(PublishedEvent event) {
        Validator validator = VALIDATION.getValidator();
        Set<ConstraintViolation<PublishedEvent>> violations = validator.validate(event);
        return violations.stream()
                .map(v -> new FieldError(WIRE_NAMES.translateName(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
                .toList();
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
            return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
        }
    }
}
