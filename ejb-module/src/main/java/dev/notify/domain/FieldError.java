package dev.notify.domain;

/** A rule an event breaks: the field by its wire name, and what is wrong with it. */
public record FieldError(String field, String message) {
}
