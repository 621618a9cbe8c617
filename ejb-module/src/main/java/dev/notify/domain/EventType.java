package dev.notify.domain;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The event types the service accepts, by their wire name. */
public enum EventType {
    ORDER_PLACED("order.placed"),
    PAYMENT_FAILED("payment.failed"),
    SHIPMENT_UPDATED("shipment.updated");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst();
    }

    /** The known wire names, comma separated, for error messages. */
    public static String knownNames() {
        return Arrays.stream(values()).map(EventType::wireName).collect(Collectors.joining(", "));
    }
}
