package dev.notify.interfaces.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import dev.notify.domain.FieldError;

/**
 * Fields of a request (query parameters, and text fields of a body) converted from text here, so
 * that a wrong one is named in a 422: a query parameter that JAX-RS itself cannot convert is
 * answered 404, as if the resource did not exist.
 */
final class RequestFields {

    private RequestFields() {
    }

    /** A whole number within [min, max]; the default when blank, or (with a field error) when wrong. */
    static Long number(String field, String value, Long defaultValue, long min, long max, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            long number = Long.parseLong(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, as a number out of range is
        }
        errors.add(new FieldError(field, max >= Integer.MAX_VALUE
                ? "must be a whole number of " + min + " or more"
                : "must be a whole number from " + min + " to " + max));
        return defaultValue;
    }

    /** An ISO-8601 instant, or a field error; blank is none. */
    static Instant instant(String field, String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 instant such as 2026-11-25T10:15:30Z"));
            return null;
        }
    }
}
