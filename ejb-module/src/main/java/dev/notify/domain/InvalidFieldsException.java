package dev.notify.domain;

import java.util.List;
import java.util.stream.Collectors;

/** The JSON parsed, but breaks one or more rules. */
public class InvalidFieldsException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidFieldsException(List<FieldError> errors) {
        super(errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
