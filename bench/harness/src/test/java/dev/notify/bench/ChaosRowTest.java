package dev.notify.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

/** The fault-injection suite's pass rule: each rule fails a row that breaks it, and only that rule. */
class ChaosRowTest {

    /** A row with nothing wrong: 300 events at 20 a second, nothing killed. */
    private static Chaos.Row clean() {
        return new Chaos.Row("duplicates", 300, 300, 300, 900, 900, 0, 0, 0, 0, 0, 0, 0, 0, "", 0,
                true, "all 300 raw sends succeeded", true, 0, 0, false, -1, 0.5, 0.7, 0, 0, 0);
    }

    private static Chaos.Row with(Map<String, Object> changes) {
        Chaos.Row r = clean();
        UnaryOperator<Object> none = value -> value;
        return new Chaos.Row(r.scenario(),
                (long) changes.getOrDefault("accepted", r.accepted()), (long) changes.getOrDefault("acceptedFloor", r.acceptedFloor()),
                r.processed(), r.notificationsExpected(), (long) changes.getOrDefault("deliveredDistinct", r.deliveredDistinct()),
                (long) changes.getOrDefault("deadLetteredExplained", r.deadLetteredExplained()),
                (long) changes.getOrDefault("falseDeadLetters", r.falseDeadLetters()),
                (long) changes.getOrDefault("dlqUnexplained", r.dlqUnexplained()),
                (long) changes.getOrDefault("sentTwice", r.sentTwice()), (long) changes.getOrDefault("sentTwiceBound", r.sentTwiceBound()),
                (long) changes.getOrDefault("lost", r.lost()), (long) changes.getOrDefault("stuck", r.stuck()),
                (long) changes.getOrDefault("outOfOrder", r.outOfOrder()), (String) none.apply(changes.getOrDefault("poisonInDlq", r.poisonInDlq())),
                (long) changes.getOrDefault("preparedLeft", r.preparedLeft()),
                (boolean) changes.getOrDefault("faultConfirmed", r.faultConfirmed()), r.fault(),
                (boolean) changes.getOrDefault("back", r.back()),
                (long) changes.getOrDefault("swept", r.swept()), (long) changes.getOrDefault("sweptEvents", r.sweptEvents()),
                (boolean) changes.getOrDefault("sweepAllowed", r.sweepAllowed()),
                r.brokerBackS(), r.routedS(), r.recoveryS(), r.errors5xx(), (long) changes.getOrDefault("errors500", r.errors500()),
                r.unanswered());
    }

    private static void failsOnly(String expected, Map<String, Object> changes) {
        List<String> failures = with(changes).failures();
        assertEquals(1, failures.size(), () -> "failures: " + failures);
        assertTrue(failures.get(0).contains(expected), () -> "failures: " + failures);
        assertFalse(with(changes).passed());
    }

    @Test
    void aCleanRowPasses() {
        assertTrue(clean().passed(), () -> clean().failures().toString());
    }

    @Test
    void fewerAcceptedThanTheFloorFails() {
        // all 401 or 404: nothing accepted, nothing lost, nothing stuck
        failsOnly("accepted 0 < floor 300", Map.of("accepted", 0L, "deliveredDistinct", 0L));
        assertTrue(with(Map.of("accepted", 80L, "acceptedFloor", 80L)).passed());
    }

    @Test
    void aLostNotificationFails() {
        failsOnly("1 lost", Map.of("lost", 1L, "deliveredDistinct", 899L));
    }

    @Test
    void aFalseDeadLetterFails() {
        // a bug that dead-letters everything: nothing marked sent is missing, yet nothing arrived
        failsOnly("900 dead-lettered or failed", Map.of("falseDeadLetters", 900L, "deliveredDistinct", 0L));
    }

    @Test
    void anExplainedDeadLetterPasses() {
        assertTrue(with(Map.of("deadLetteredExplained", 300L, "deliveredDistinct", 600L)).passed());
    }

    @Test
    void anUnexplainedMessageInADeadLetterQueueFails() {
        failsOnly("2 unexplained messages in the dead-letter queues", Map.of("dlqUnexplained", 2L));
        failsOnly("could not be browsed", Map.of("dlqUnexplained", -1L));
    }

    @Test
    void sentTwiceFailsAboveItsBound() {
        failsOnly("sent twice 1 > bound 0", Map.of("sentTwice", 1L));
        assertTrue(with(Map.of("sentTwice", 12L, "sentTwiceBound", 12L, "sweepAllowed", true)).passed());
        failsOnly("sent twice 13 > bound 12", Map.of("sentTwice", 13L, "sentTwiceBound", 12L, "sweepAllowed", true));
    }

    @Test
    void anUnconfirmedFaultFails() {
        failsOnly("fault not confirmed", Map.of("faultConfirmed", false));
    }

    @Test
    void aSystemThatDidNotComeBackFails() {
        failsOnly("did not answer again by itself", Map.of("back", false));
    }

    @Test
    void aSweepWithNothingKilledFails() {
        failsOnly("the stalled-work sweep sent 3 notification(s)", Map.of("swept", 3L));
        failsOnly("the stalled-work sweep sent 0 notification(s) and 1 event(s)", Map.of("sweptEvents", 1L));
        assertTrue(with(Map.of("swept", 3L, "sweptEvents", 1L, "sweepAllowed", true)).passed());
        failsOnly("could not be read", Map.of("swept", -1L, "sweptEvents", -1L, "sweepAllowed", true));
    }

    @Test
    void theOlderRulesStillFail() {
        failsOnly("2 stuck", Map.of("stuck", 2L));
        failsOnly("1 out of order", Map.of("outOfOrder", 1L));
        failsOnly("1 prepared", Map.of("preparedLeft", 1L));
        failsOnly("1 answered 500", Map.of("errors500", 1L));
        failsOnly("poison in the dead-letter queues 10/11", Map.of("poisonInDlq", "10/11"));
        assertTrue(with(Map.of("poisonInDlq", "11/11")).passed());
    }

    @Test
    void theFloors() {
        assertEquals(300, Chaos.Floor.ALL.of(300, 100, 20));
        assertEquals(260, Chaos.Floor.ALL_BUT_AT_FAULT.of(300, 100, 20));
        assertEquals(80, Chaos.Floor.BEFORE_FAULT.of(300, 100, 20));
        assertEquals(Chaos.Floor.ALL_BUT_AT_FAULT, Chaos.Scenario.SERVER_KILLED.floor(true));
        assertEquals(Chaos.Floor.BEFORE_FAULT, Chaos.Scenario.SERVER_KILLED.floor(false));
    }

    @Test
    void theSentTwiceBounds() {
        assertEquals(0, Chaos.Scenario.PROVIDER_SLOW.kill.callsInFlight(1, false));
        assertEquals(12, Chaos.Scenario.SERVER_KILLED.kill.callsInFlight(2, true));
        assertEquals(12, Chaos.Scenario.BROKER_KILLED.kill.callsInFlight(1, false), "one broker: the clients reconnect once");
        assertEquals(48, Chaos.Scenario.BROKER_KILLED.kill.callsInFlight(2, true), "a pair: to the backup, and back to the primary");
        assertEquals(48, Chaos.Scenario.BROKER_DOWN.kill.callsInFlight(2, true));
        assertEquals(24, Chaos.Scenario.DATABASE_RESTARTED.kill.callsInFlight(2, true));
        assertEquals(12, Chaos.Scenario.HOST_SHUTDOWN.kill.callsInFlight(1, false));
    }

    @Test
    void theSweepsWarningsAreCounted() {
        long[] sent = new long[2];
        SweepLog.count("[2026-12-07T02:00:00] WARNING Sent again after PT1M with no message on its way: 3 notification(s), 0 event(s) ()\n"
                + "{\"LogMessage\":\"Sent again after PT1M with no message on its way: 2 notification(s), 1 event(s) (c1-x-3)\"}\n", sent);
        assertEquals(5, sent[0]);
        assertEquals(1, sent[1]);
    }

    @Test
    void onlyTheExplainedChannelsQueueMayGrow() {
        Map<String, Integer> before = Map.of("notification.sms", 1, "notification.email", 0);
        assertEquals(0, Chaos.dlqUnexplained(Chaos.Scenario.SMS_PROVIDER_DOWN, before, Map.of("notification.sms", 40, "notification.email", 0)));
        assertEquals(39, Chaos.dlqUnexplained(Chaos.Scenario.PROVIDER_THROTTLED, before, Map.of("notification.sms", 40, "notification.email", 0)));
        assertEquals(-1, Chaos.dlqUnexplained(Chaos.Scenario.POISON, Map.of(), before));
    }
}
