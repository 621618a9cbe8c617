package dev.notify.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The ways a notification reaches a user. */
public enum Channel {
    EMAIL, SMS, PUSH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Channel> fromWireName(String name) {
        return Arrays.stream(values()).filter(channel -> channel.wireName().equals(name)).findFirst();
    }

    public static String knownNames() {
        return Arrays.stream(values()).map(Channel::wireName).collect(Collectors.joining(", "));
    }
}
