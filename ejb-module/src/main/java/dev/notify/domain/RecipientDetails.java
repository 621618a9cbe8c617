package dev.notify.domain;

import java.util.List;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * How to reach a user, as the API takes it (snake_case JSON).
 *
 * @param email      for email notifications
 * @param phone      for SMS, in E.164
 * @param pushTokens the devices for push notifications
 * @param locale     BCP 47 language tag choosing the templates' language; {@code en} when absent
 */
public record RecipientDetails(
        @Email @Size(max = 320)
        String email,
        @Pattern(regexp = "\\+[1-9][0-9]{1,14}", message = "must be an E.164 number such as +4915112345678")
        String phone,
        @Size(max = 10)
        List<@NotBlank @Size(max = 4096) @Storable String> pushTokens,
        @Pattern(regexp = "[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*", message = "must be a language tag such as en or de-CH")
        String locale) {

    public static final String DEFAULT_LOCALE = "en";

    public RecipientDetails {
        pushTokens = pushTokens == null ? List.of() : pushTokens;
        locale = locale == null ? DEFAULT_LOCALE : locale;
    }
}
