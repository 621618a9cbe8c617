package dev.notify.domain;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.json.JsonValue;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * The payload holds every field its event type requires; each missing one is reported as
 * {@code payload.<field>}. An unknown type or a missing payload is left to the other constraints.
 */
@Documented
@Constraint(validatedBy = PayloadFitsType.Validator.class)
@Target(TYPE)
@Retention(RUNTIME)
public @interface PayloadFitsType {

    String message() default "misses fields its event type requires";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<PayloadFitsType, PublishedEvent> {

        @Override
        public boolean isValid(PublishedEvent event, ConstraintValidatorContext context) {
            if (event == null || event.payload() == null) {
                return true;
            }
            EventType type = EventType.fromWireName(event.eventType()).orElse(null);
            if (type == null) {
                return true;
            }
            boolean valid = true;
            context.disableDefaultConstraintViolation();
            for (String field : type.requiredPayloadFields()) {
                JsonValue value = event.payload().get(field);
                if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
                    valid = false;
                    // the template holds only names from the registry, never input (no EL injection)
                    context.buildConstraintViolationWithTemplate("is required for " + type.wireName())
                            .addPropertyNode("payload")
                            .addPropertyNode(field)
                            .addConstraintViolation();
                }
            }
            return valid;
        }
    }
}
