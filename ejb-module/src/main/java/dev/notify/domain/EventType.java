package dev.notify.domain;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The registry of event types the service accepts: their wire name, the payload fields each one
 * requires, and the channels a user gets it on until they choose otherwise.
 */
public enum EventType {
    ORDER_PLACED("order.placed", List.of("order_id"), EnumSet.of(Channel.EMAIL, Channel.PUSH)),
    PAYMENT_FAILED("payment.failed", List.of("payment_id"), EnumSet.allOf(Channel.class)),
    SHIPMENT_UPDATED("shipment.updated", List.of("shipment_id", "status"), EnumSet.of(Channel.PUSH));

    private final String wireName;
    private final List<String> requiredPayloadFields;
    private final Set<Channel> defaultChannels;

    EventType(String wireName, List<String> requiredPayloadFields, Set<Channel> defaultChannels) {
        this.wireName = wireName;
        this.requiredPayloadFields = requiredPayloadFields;
        this.defaultChannels = defaultChannels;
    }

    public String wireName() {
        return wireName;
    }

    public List<String> requiredPayloadFields() {
        return requiredPayloadFields;
    }

    /** In declaration order. */
    public Set<Channel> defaultChannels() {
        return EnumSet.copyOf(defaultChannels);
    }

    public static Optional<EventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst();
    }

    /** The known wire names, comma separated, for error messages. */
    public static String knownNames() {
        return Arrays.stream(values()).map(EventType::wireName).collect(Collectors.joining(", "));
    }
}
