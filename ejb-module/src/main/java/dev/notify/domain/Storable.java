package dev.notify.domain;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * The value fits PostgreSQL's types: text and JSON without the NUL character (which neither
 * {@code text} nor {@code jsonb} can hold), JSON numbers within {@code numeric}'s range, times within
 * the years 1 to 9999. Checked on input, so that such a value is refused as the client's mistake
 * instead of failing the insert. Null is left to the other constraints.
 */
@Documented
@Constraint(validatedBy = {Storable.Text.class, Storable.Json.class, Storable.Time.class})
@Target({FIELD, METHOD, PARAMETER, RECORD_COMPONENT, TYPE_USE, ANNOTATION_TYPE})
@Retention(RUNTIME)
public @interface Storable {

    String message() default "cannot be stored";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** numeric's limits: digits before and after the decimal point */
    int MAX_INTEGER_DIGITS = 131_072;
    int MAX_FRACTION_DIGITS = 16_383;

    class Text implements ConstraintValidator<Storable, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || Violation.report(value.indexOf('\0') < 0, context, NUL);
        }
    }

    class Json implements ConstraintValidator<Storable, JsonValue> {
        @Override
        public boolean isValid(JsonValue value, ConstraintValidatorContext context) {
            String problem = value == null ? null : problem(value);
            return Violation.report(problem == null, context, problem);
        }

        /** The first thing in the value that cannot be stored, or null. */
        private static String problem(JsonValue value) {
            switch (value.getValueType()) {
                case OBJECT -> {
                    for (Map.Entry<String, JsonValue> member : value.asJsonObject().entrySet()) {
                        String problem = member.getKey().indexOf('\0') >= 0 ? NUL : problem(member.getValue());
                        if (problem != null) {
                            return problem;
                        }
                    }
                }
                case ARRAY -> {
                    for (JsonValue item : value.asJsonArray()) {
                        String problem = problem(item);
                        if (problem != null) {
                            return problem;
                        }
                    }
                }
                case STRING -> {
                    return ((JsonString) value).getString().indexOf('\0') >= 0 ? NUL : null;
                }
                case NUMBER -> {
                    BigDecimal number = ((JsonNumber) value).bigDecimalValue();
                    boolean fits = (long) number.precision() - number.scale() <= MAX_INTEGER_DIGITS
                            && number.scale() <= MAX_FRACTION_DIGITS;
                    return fits ? null : "holds a number beyond what can be stored (" + MAX_INTEGER_DIGITS
                            + " digits before the decimal point, " + MAX_FRACTION_DIGITS + " after)";
                }
                default -> {
                    return null;
                }
            }
            return null;
        }
    }

    class Time implements ConstraintValidator<Storable, OffsetDateTime> {
        @Override
        public boolean isValid(OffsetDateTime value, ConstraintValidatorContext context) {
            return value == null || Violation.report(value.getYear() >= 1 && value.getYear() <= 9999, context,
                    "must be a time within the years 0001 to 9999");
        }
    }

    String NUL = "holds the NUL character (U+0000), which cannot be stored";

    final class Violation {
        private Violation() {
        }

        /** Whether valid; if not, the violation says why (a fixed text, never the input: no EL injection). */
        static boolean report(boolean valid, ConstraintValidatorContext context, String why) {
            if (!valid) {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate(why).addConstraintViolation();
            }
            return valid;
        }
    }
}
