package dev.notify.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The ways a notification reaches a user. */
public enum Channel {
    EMAIL(List.of("subject", "body")),
    SMS(List.of("text")),
    PUSH(List.of("title", "body"));

    private final List<String> parts;

    Channel(List<String> parts) {
        this.parts = parts;
    }

    /** What a notification on this channel consists of; each part has its own template. */
    public List<String> parts() {
        return parts;
    }

    /** The queue this channel's notifications travel on. */
    public String queue() {
        return "notification." + wireName();
    }

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
