package dev.notify.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class NotificationStatusTest {

    @Test
    void storedAndShownAsTheSchemasLowerCaseNames() {
        // notification_status_check (V7)
        assertEquals(List.of("pending", "held", "sent", "failed", "dead-lettered"),
                Arrays.stream(NotificationStatus.values()).map(NotificationStatus::wireName).toList());
        for (NotificationStatus status : NotificationStatus.values()) {
            assertEquals(status, NotificationStatus.fromWireName(status.wireName()));
            NotificationStatusConverter converter = new NotificationStatusConverter();
            assertEquals(status, converter.convertToEntityAttribute(converter.convertToDatabaseColumn(status)));
        }
    }

    @Test
    void theUnsettledHoldBackTheLaterOnesAndTheRestReleaseThem() {
        assertEquals(List.of(NotificationStatus.PENDING, NotificationStatus.HELD),
                Arrays.stream(NotificationStatus.values()).filter(NotificationStatus::holdsBackLater).toList());
        assertEquals(List.of(NotificationStatus.SENT, NotificationStatus.FAILED, NotificationStatus.DEAD_LETTERED),
                Arrays.stream(NotificationStatus.values()).filter(NotificationStatus::isSettled).toList());
        assertEquals(List.of(NotificationStatus.PENDING, NotificationStatus.DEAD_LETTERED),
                Arrays.stream(NotificationStatus.values()).filter(NotificationStatus::isSendable).toList());
        assertEquals(List.of(NotificationStatus.PENDING),
                Arrays.stream(NotificationStatus.values()).filter(status -> status.isSendableBy(false)).toList(),
                "a dead-lettered one only for its message sent back by an operator");
        assertEquals(List.of(NotificationStatus.SENT, NotificationStatus.DEAD_LETTERED),
                Arrays.stream(NotificationStatus.values()).filter(NotificationStatus::isTriedToTheEnd).toList());
    }

    @Test
    void onlyASendableOneIsSettledOrHeldAndOnlyAHeldOrPendingOneDispatched() {
        for (NotificationStatus from : NotificationStatus.values()) {
            for (NotificationStatus to : NotificationStatus.values()) {
                boolean expected = to == NotificationStatus.PENDING
                        ? from == NotificationStatus.HELD || from == NotificationStatus.PENDING
                        : from.isSendable();
                assertEquals(expected, from.mayBecome(to), from + " to " + to);
            }
        }
        assertFalse(NotificationStatus.SENT.mayBecome(NotificationStatus.SENT), "nothing is sent twice");
        assertTrue(NotificationStatus.INSERTED.containsAll(List.of(NotificationStatus.PENDING, NotificationStatus.FAILED)));
    }
}
