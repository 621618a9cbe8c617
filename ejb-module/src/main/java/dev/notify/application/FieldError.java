package dev.notify.application;

/** A rule an event breaks: the field by its wire name, and what is wrong with it. */
public record FieldError(String field, String message) {
}
