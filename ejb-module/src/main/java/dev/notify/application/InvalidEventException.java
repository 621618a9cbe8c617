package dev.notify.application;

import java.util.List;
import java.util.stream.Collectors;

import dev.notify.domain.PublishedEvent;

/** The event parsed, but breaks one or more rules. */
public class InvalidEventException extends RuntimeException {

    private final transient PublishedEvent event;
    private final List<FieldError> errors;

    public InvalidEventException(PublishedEvent event, List<FieldError> errors) {
        super(errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
        this.event = event;
        this.errors = List.copyOf(errors);
    }

    /** The parsed event, for naming it in logs and dead letters. */
    public PublishedEvent event() {
        return event;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
