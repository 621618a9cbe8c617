package dev.notify.domain;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** The value names one of the {@link EventType}s; null is left to {@code @NotBlank}. */
@Documented
@Constraint(validatedBy = KnownEventType.Validator.class)
@Target({FIELD, METHOD, PARAMETER})
@Retention(RUNTIME)
public @interface KnownEventType {

    String message() default "is not a known event type";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<KnownEventType, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || value.isBlank() || EventType.fromWireName(value).isPresent()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            // the template holds only our own names, never the rejected input (no EL injection)
            context.buildConstraintViolationWithTemplate(
                            "is not a known event type; known types: " + EventType.knownNames())
                    .addConstraintViolation();
            return false;
        }
    }
}
