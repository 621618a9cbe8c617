package dev.notify.infrastructure.persistence;

import static dev.notify.domain.JsonApi.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.notify.domain.Channel;
import dev.notify.domain.PublishedEvent;
import dev.notify.infrastructure.messaging.Messaging;
import dev.notify.infrastructure.persistence.NotificationStore.Delivery;
import dev.notify.infrastructure.persistence.NotificationStore.Released;
import dev.notify.persistence.EventRecord;
import dev.notify.persistence.FailureReasons;

/**
 * The notification store's side of the per-user order rule, on a real PostgreSQL: what holds a
 * notification back, hold and release, the stalled-work sweep's choice, and how a delivery's end is
 * written.
 */
class NotificationStoreTest {

    private static final TestDatabase DB = TestDatabase.shared();

    private final TestDatabase.Stores stores = DB.stores();
    private final NotificationStore notifications = stores.notifications;
    private final EventStore events = stores.events;
    private int nextEvent;

    @BeforeEach
    void emptyDatabase() {
        DB.clear();
    }

    // ---- what holds a notification back (forDelivery's waitingFor)

    @Test
    void aNotificationWithNothingBeforeItMayGo() {
        Routed first = routed("u1", Channel.SMS);

        Delivery delivery = forDelivery(first.notification());
        assertNull(delivery.waitingFor());
        assertEquals("u1", delivery.userId());
        assertEquals(first.seq(), delivery.eventSeq());
        assertEquals(first.event().eventId(), delivery.eventId());
        assertEquals("pending", DB.status(first.notification()));
    }

    @Test
    void anEarlierPendingNotificationOnTheChannelHoldsItBack() {
        Routed first = routed("u1", Channel.SMS);
        Routed second = routed("u1", Channel.SMS);

        assertEquals("notification " + first.notification(), forDelivery(second.notification()).waitingFor());
        assertNull(forDelivery(first.notification()).waitingFor(), "a later one holds nothing back");
    }

    @Test
    void onlyTheUsersUnsettledNotificationsOnTheSameChannelHoldItBack() {
        Routed otherChannel = routed("u1", Channel.EMAIL);
        Routed otherUser = routed("u2", Channel.SMS);
        Routed sent = routed("u1", Channel.SMS);
        Routed refused = routed("u1", Channel.SMS);
        Routed deadLettered = routed("u1", Channel.SMS);
        DB.transaction(() -> {
            notifications.markSent(sent.notification(), 1);
            notifications.markFailed(refused.notification(), 1, "refused");
            notifications.markDeadLettered(deadLettered.notification(), 5, "gone");
        });
        Routed next = routed("u1", Channel.SMS);

        assertNull(forDelivery(next.notification()).waitingFor());
        assertEquals("pending", DB.status(otherChannel.notification()));
        assertEquals("pending", DB.status(otherUser.notification()));
    }

    @Test
    void aHeldNotificationHoldsBackTheOnesAfterIt() {
        Routed first = routed("u1", Channel.SMS);
        Routed second = routed("u1", Channel.SMS);
        Routed third = routed("u1", Channel.SMS);
        DB.transaction(() -> notifications.hold(second.notification()));
        DB.transaction(() -> notifications.markSent(first.notification(), 1));

        assertEquals("notification " + second.notification(), forDelivery(third.notification()).waitingFor());
    }

    @Test
    void anEarlierEventNotRoutedYetThatItsEventSawHoldsItBack() {
        PublishedEvent unrouted = accepted("u1");
        PublishedEvent later = accepted("u1");
        Routed routedFirst = route(later, Channel.SMS);
        assertEquals(seqOf(unrouted), afterSeqOf(later), "the later event saw the earlier one");

        assertEquals("event " + unrouted.eventId(), forDelivery(routedFirst.notification()).waitingFor());

        route(unrouted, Channel.EMAIL);
        assertNull(forDelivery(routedFirst.notification()).waitingFor(), "routed, it holds nothing back");
    }

    @Test
    void anEventAcceptedConcurrentlyDoesNotHoldItBackUntilTheRouterFailsIt() {
        // the earlier event is inserted first but commits after the later one's insert: the later one does not see it
        PublishedEvent concurrent = event("u1");
        PublishedEvent later = event("u1");
        DB.transaction(() -> {
            events.recordAccepted(concurrent).orElseThrow();
            DB.requiresNew(() -> events.recordAccepted(later).orElseThrow());
        });
        assertTrue(seqOf(concurrent) < seqOf(later));
        assertNull(afterSeqOf(later), "its insert did not see the concurrent one");
        Routed routedFirst = route(later, Channel.SMS);

        assertNull(forDelivery(routedFirst.notification()).waitingFor(), "no order is kept with a concurrent event");

        DB.transaction(() -> stores.failures.record(Messaging.ROUTER_SUBSCRIPTION, concurrent.eventId(), 1, "router failed"));
        assertEquals("event " + concurrent.eventId(), forDelivery(routedFirst.notification()).waitingFor(),
                "once the router failed it, the earlier event holds it back");

        DB.transaction(() -> events.markDeadLettered(concurrent.eventId()).orElseThrow());
        assertNull(forDelivery(routedFirst.notification()).waitingFor(), "dead-lettered, it holds nothing back");
    }

    @Test
    void eventsAcceptedTogetherKeepTheirOrderAsIfEachWereAcceptedAlone() {
        PublishedEvent earlier = accepted("u1");
        PublishedEvent first = event("u1");
        PublishedEvent other = event("u2");
        PublishedEvent second = event("u1");

        List<EventRecord> inserted = DB.transaction(() -> events.recordAccepted(List.of(first, other, earlier, second, first)));

        assertEquals(List.of(first.eventId(), other.eventId(), second.eventId()), inserted.stream().map(EventRecord::getEventId).toList(),
                "the new ones, once each, in the given order");
        assertTrue(seqOf(earlier) < seqOf(first) && seqOf(first) < seqOf(other) && seqOf(other) < seqOf(second));
        assertEquals(seqOf(earlier), afterSeqOf(first), "the first saw the user's committed event");
        // at least the first's: a duplicate between them took a number of its own, unused
        assertTrue(seqOf(first) <= afterSeqOf(second) && afterSeqOf(second) < seqOf(second), "the second saw the first, given before it");
        assertNull(afterSeqOf(other), "the other user had no event");
        Routed routedFirst = route(second, Channel.SMS);
        assertEquals("event " + earlier.eventId(), forDelivery(routedFirst.notification()).waitingFor());
        route(earlier, Channel.SMS);
        assertEquals("event " + first.eventId(), forDelivery(routedFirst.notification()).waitingFor());
    }

    @Test
    void anEventAfterItsEventDoesNotHoldItBack() {
        Routed routedFirst = routed("u1", Channel.SMS);
        PublishedEvent later = accepted("u1");
        DB.transaction(() -> stores.failures.record(Messaging.ROUTER_SUBSCRIPTION, later.eventId(), 1, "router failed"));

        assertNull(forDelivery(routedFirst.notification()).waitingFor());
    }

    @Test
    void theEventIsNamedBeforeANotificationThatAlsoHoldsItBack() {
        Routed first = routed("u1", Channel.SMS);
        PublishedEvent unrouted = accepted("u1");
        Routed third = route(accepted("u1"), Channel.SMS);

        assertEquals("event " + unrouted.eventId(), forDelivery(third.notification()).waitingFor());
        route(unrouted, Channel.EMAIL);
        assertEquals("notification " + first.notification(), forDelivery(third.notification()).waitingFor());
    }

    // ---- hold and release

    @Test
    void aSettledNotificationReleasesTheUsersFirstHeldOneOnItsChannel() {
        Routed first = routed("u1", Channel.SMS);
        Routed second = routed("u1", Channel.SMS);
        Routed third = routed("u1", Channel.SMS);
        Routed otherChannel = routed("u1", Channel.EMAIL);
        Routed otherUser = routed("u2", Channel.SMS);
        DB.transaction(() -> List.of(second, third, otherChannel, otherUser).forEach(held -> notifications.hold(held.notification())));
        backdateDispatch(second.notification(), Duration.ofMinutes(10));
        assertEquals("held", DB.status(second.notification()));

        Optional<Released> released = DB.transaction(() -> {
            notifications.markSent(first.notification(), 1);
            return notifications.releaseNext("u1", Channel.SMS);
        });

        assertEquals(Optional.of(new Released(second.notification(), Channel.SMS, "u1", second.event().eventId(),
                second.event().eventType())), released);
        assertEquals("pending", DB.status(second.notification()));
        assertRecent((OffsetDateTime) DB.notification(second.notification()).get("dispatched_at"));
        assertEquals("held", DB.status(third.notification()), "one at a time");
        assertEquals("held", DB.status(otherChannel.notification()));
        assertEquals("held", DB.status(otherUser.notification()));
    }

    @Test
    void releaseNextFindsNothingWhenNoneIsHeld() {
        routed("u1", Channel.SMS);
        assertEquals(Optional.empty(), DB.transaction(() -> notifications.releaseNext("u1", Channel.SMS)));
    }

    @Test
    void aRoutedEventReleasesTheFirstHeldOneAfterItOnEveryChannel() {
        PublishedEvent unrouted = accepted("u1");
        PublishedEvent second = accepted("u1");
        Routed secondSms = route(second, Channel.SMS);
        Routed secondEmail = notification(second, seqOf(second), Channel.EMAIL);
        Routed thirdSms = route(accepted("u1"), Channel.SMS);
        Routed otherUser = routed("u2", Channel.SMS);
        DB.transaction(() -> List.of(secondSms, secondEmail, thirdSms, otherUser).forEach(held -> notifications.hold(held.notification())));

        long unroutedSeq = route(unrouted, Channel.PUSH).seq();
        List<Released> released = DB.transaction(() -> notifications.releaseAfter("u1", unroutedSeq));

        assertEquals(List.of(secondEmail.notification(), secondSms.notification()).stream().sorted().toList(),
                released.stream().map(Released::notificationId).sorted().toList());
        assertEquals("pending", DB.status(secondSms.notification()));
        assertEquals("pending", DB.status(secondEmail.notification()));
        assertEquals("held", DB.status(thirdSms.notification()), "the first held one on each channel only");
        assertEquals("held", DB.status(otherUser.notification()));
    }

    @Test
    void releaseAfterSkipsHeldOnesBeforeTheEvent() {
        Routed before = routed("u1", Channel.SMS);
        DB.transaction(() -> notifications.hold(before.notification()));
        long seq = routed("u1", Channel.EMAIL).seq();

        assertEquals(List.of(), DB.transaction(() -> notifications.releaseAfter("u1", seq)));
        assertEquals("held", DB.status(before.notification()));
    }

    // ---- the stalled-work sweep

    @Test
    void thePendingOneWithAnOldDispatchAndNoRecentFailureIsSentAgain() {
        Routed stalled = routed("u1", Channel.SMS);
        Routed recent = routed("u2", Channel.SMS);
        Routed failedRecently = routed("u3", Channel.SMS);
        backdateDispatch(stalled.notification(), Duration.ofMinutes(10));
        backdateDispatch(failedRecently.notification(), Duration.ofMinutes(10));
        DB.transaction(() -> stores.failures.record(Channel.SMS.queue(), failedRecently.event().eventId(), 1, "timeout"));

        List<Released> released = DB.transaction(() -> notifications.redispatchStalled(Duration.ofMinutes(5), 100));

        assertEquals(List.of(stalled.notification()), released.stream().map(Released::notificationId).toList());
        assertRecent((OffsetDateTime) DB.notification(stalled.notification()).get("dispatched_at"));
        assertEquals("pending", DB.status(recent.notification()));
        assertEquals(List.of(), DB.transaction(() -> notifications.redispatchStalled(Duration.ofMinutes(5), 100)),
                "its dispatch time was reset");
    }

    @Test
    void aFailureOnAnotherChannelDoesNotKeepItFromTheSweep() {
        Routed stalled = routed("u1", Channel.SMS);
        backdateDispatch(stalled.notification(), Duration.ofMinutes(10));
        DB.transaction(() -> stores.failures.record(Channel.EMAIL.queue(), stalled.event().eventId(), 1, "timeout"));

        assertEquals(List.of(stalled.notification()), DB.transaction(() -> notifications.redispatchStalled(Duration.ofMinutes(5), 100))
                .stream().map(Released::notificationId).toList());
    }

    @Test
    void aHeldOneThatNothingHoldsBackIsReleasedButNotOneStillHeldBack() {
        Routed holder = routed("u1", Channel.SMS);
        Routed orphan = routed("u1", Channel.SMS);
        Routed blockedHolder = routed("u2", Channel.SMS);
        Routed stillHeld = routed("u2", Channel.SMS);
        PublishedEvent unrouted = accepted("u3");
        Routed heldByEvent = route(accepted("u3"), Channel.SMS);
        DB.transaction(() -> List.of(orphan, stillHeld, heldByEvent).forEach(held -> notifications.hold(held.notification())));
        // the holder settled, but the release was lost with its transaction's broker side
        DB.transaction(() -> notifications.markSent(holder.notification(), 1));
        for (Routed old : List.of(holder, orphan, blockedHolder, stillHeld, heldByEvent)) {
            backdateDispatch(old.notification(), Duration.ofMinutes(10));
        }
        // the pending holder of u2 failed recently: its message waits out its back-off
        DB.transaction(() -> stores.failures.record(Channel.SMS.queue(), blockedHolder.event().eventId(), 1, "timeout"));

        List<Released> released = DB.transaction(() -> notifications.redispatchStalled(Duration.ofMinutes(5), 100));

        assertEquals(List.of(orphan.notification()), released.stream().map(Released::notificationId).toList());
        assertEquals("pending", DB.status(orphan.notification()));
        assertEquals("held", DB.status(stillHeld.notification()));
        assertEquals("held", DB.status(heldByEvent.notification()));
        assertEquals("pending", DB.status(blockedHolder.notification()));
        assertEquals(Optional.of("event " + unrouted.eventId()), Optional.ofNullable(forDelivery(heldByEvent.notification()).waitingFor()));
    }

    @Test
    void aSweepRunningAtTheSameTimeSkipsWhatTheFirstTook() {
        Routed stalled = routed("u1", Channel.SMS);
        Routed holder = routed("u2", Channel.SMS);
        Routed orphan = routed("u2", Channel.SMS);
        DB.transaction(() -> notifications.hold(orphan.notification()));
        DB.transaction(() -> notifications.markSent(holder.notification(), 1));
        for (Routed old : List.of(stalled, orphan)) {
            backdateDispatch(old.notification(), Duration.ofMinutes(10));
        }

        DB.transaction(() -> {
            assertEquals(2, notifications.redispatchStalled(Duration.ofMinutes(5), 100).size(), "the pending one and the orphan");
            // another instance's sweep, while the first one's transaction holds its rows: it must
            // not wait for them (a lock timeout fails it if it does), nor take them again
            List<Released> second = DB.transaction(() -> {
                DB.entityManager().createNativeQuery("SET LOCAL lock_timeout = '2s'").executeUpdate();
                return notifications.redispatchStalled(Duration.ofMinutes(5), 100);
            });
            assertEquals(List.of(), second);
        });
    }

    @Test
    void aDeferredOneIsNotStalledBeforeItIsDue() {
        Routed deferred = routed("u1", Channel.SMS);
        DB.transaction(() -> notifications.markDeferred(deferred.notification(), Duration.ofMinutes(2), "429, Retry-After: 120"));

        assertEquals(List.of(), DB.transaction(() -> notifications.redispatchStalled(Duration.ZERO, 100)));
        Map<String, Object> row = DB.notification(deferred.notification());
        assertEquals("pending", row.get("status"));
        assertEquals("429, Retry-After: 120", row.get("last_error"));
        assertEquals(0, row.get("attempts"));
        Duration due = Duration.between(OffsetDateTime.now(), (OffsetDateTime) row.get("dispatched_at"));
        assertTrue(due.compareTo(Duration.ofSeconds(100)) > 0 && due.compareTo(Duration.ofMinutes(2)) <= 0, due.toString());
    }

    @Test
    void aDeferredOneIsStalledOnceItIsDue() {
        Routed deferred = routed("u1", Channel.SMS);
        DB.transaction(() -> notifications.markDeferred(deferred.notification(), Duration.ofMillis(200), "429"));
        // a failure before it is due does not keep it from the sweep
        DB.transaction(() -> stores.failures.record(Channel.SMS.queue(), deferred.event().eventId(), 1, "503"));
        backdateDispatch(deferred.notification(), Duration.ofSeconds(1)); // time passes: it is due now

        assertEquals(List.of(deferred.notification()), DB.transaction(() -> notifications.redispatchStalled(Duration.ZERO, 100))
                .stream().map(Released::notificationId).toList());
    }

    @Test
    void theSweepTakesAtMostItsBatchInTheUsersOrder() {
        Routed first = routed("u1", Channel.SMS);
        Routed second = routed("u2", Channel.SMS);
        routed("u3", Channel.SMS);
        DB.update("UPDATE notification SET dispatched_at = now() - interval '10 minutes'");

        assertEquals(List.of(first.notification(), second.notification()),
                DB.transaction(() -> notifications.redispatchStalled(Duration.ofMinutes(5), 2)).stream().map(Released::notificationId).toList());
    }

    // ---- how a delivery's end is written

    @Test
    void aDeliverysEndIsWrittenOnTheRow() {
        Routed sent = routed("u1", Channel.SMS);
        Routed refused = routed("u2", Channel.SMS);
        Routed retried = routed("u3", Channel.SMS);
        Routed deadLettered = routed("u4", Channel.SMS);
        String longReason = "x".repeat(FailureReasons.MAX_LENGTH + 100);

        DB.transaction(() -> {
            notifications.recordFailedAttempt(sent.notification(), 1, "timeout");
            notifications.markSent(sent.notification(), 2);
            notifications.markFailed(refused.notification(), 1, "invalid number");
            notifications.markDeadLettered(deadLettered.notification(), 5, longReason);
        });
        // the failed attempt is its own transaction: kept when the attempt rolls back
        DB.transaction(() -> {
            notifications.recordFailedAttempt(retried.notification(), 3, "503");
            DB.setRollbackOnly();
        });

        Map<String, Object> sentRow = DB.notification(sent.notification());
        assertEquals(List.of("sent", 2), List.of(sentRow.get("status"), sentRow.get("attempts")));
        assertNull(sentRow.get("last_error"), "sent clears the last error");
        assertRecent((OffsetDateTime) sentRow.get("sent_at"));
        Map<String, Object> refusedRow = DB.notification(refused.notification());
        assertEquals(List.of("failed", 1, "invalid number"), List.of(refusedRow.get("status"), refusedRow.get("attempts"), refusedRow.get("last_error")));
        Map<String, Object> retriedRow = DB.notification(retried.notification());
        assertEquals(List.of("pending", 3, "503"), List.of(retriedRow.get("status"), retriedRow.get("attempts"), retriedRow.get("last_error")));
        Map<String, Object> deadRow = DB.notification(deadLettered.notification());
        assertEquals(List.of("dead-lettered", 5), List.of(deadRow.get("status"), deadRow.get("attempts")));
        assertEquals(FailureReasons.cut(longReason), deadRow.get("last_error"));
        assertTrue(((String) deadRow.get("last_error")).length() <= FailureReasons.MAX_LENGTH);
    }

    @Test
    void aReplayedEventGetsNoSecondNotificationOnAChannel() {
        Routed first = routed("u1", Channel.SMS);
        Optional<UUID> again = DB.transaction(() -> notifications.recordPending(first.event(), first.seq(), Channel.SMS,
                JSON.createValue("+4915112345678"), Map.of("text", "again")));

        assertEquals(Optional.empty(), again);
        DB.transaction(() -> notifications.recordFailed(first.event(), first.seq(), Channel.EMAIL, "the recipient has no email address"));
        assertEquals(List.of("email:failed", "sms:pending"), DB.transaction(() -> notifications.ofEvent(first.event().eventId())).stream()
                .map(n -> n.channel() + ":" + n.status().wireName()).toList());
    }

    // ---- whether the channel fails for the user (deadLetteredBefore)

    @Test
    void theLastTriedOneDeadLetteredWithinTheWindowMakesTheChannelFailing() {
        Routed deadLettered = routed("u1", Channel.SMS);
        DB.transaction(() -> {
            stores.failures.record(Channel.SMS.queue(), deadLettered.event().eventId(), 5, "503");
            notifications.markDeadLettered(deadLettered.notification(), 5, "503");
        });
        Routed refused = routed("u1", Channel.SMS);
        DB.transaction(() -> notifications.markFailed(refused.notification(), 1, "refused"));
        Routed next = routed("u1", Channel.SMS);
        Delivery delivery = forDelivery(next.notification());

        assertEquals(Optional.of(deadLettered.notification()), deadLetteredBefore(delivery, Channel.SMS, Duration.ofHours(1)),
                "a refusal is not tried to the end: the dead-lettered one before it counts");
        assertEquals(Optional.empty(), deadLetteredBefore(delivery, Channel.EMAIL, Duration.ofHours(1)), "another channel");

        DB.update("UPDATE delivery_failure SET failed_at = now() - interval '2 hours'");
        assertEquals(Optional.empty(), deadLetteredBefore(delivery, Channel.SMS, Duration.ofHours(1)), "its failure is older than the window");
        assertEquals(Optional.of(deadLettered.notification()), deadLetteredBefore(delivery, Channel.SMS, Duration.ofHours(3)));
    }

    @Test
    void aSentOneAfterTheDeadLetteredOneEndsTheFailing() {
        Routed deadLettered = routed("u1", Channel.SMS);
        DB.transaction(() -> {
            stores.failures.record(Channel.SMS.queue(), deadLettered.event().eventId(), 5, "503");
            notifications.markDeadLettered(deadLettered.notification(), 5, "503");
        });
        Routed sent = routed("u1", Channel.SMS);
        DB.transaction(() -> notifications.markSent(sent.notification(), 1));
        Delivery next = forDelivery(routed("u1", Channel.SMS).notification());

        assertEquals(Optional.empty(), deadLetteredBefore(next, Channel.SMS, Duration.ofHours(1)));
        assertEquals(Optional.of(deadLettered.notification()), deadLetteredBefore(forDelivery(sent.notification()), Channel.SMS,
                Duration.ofHours(1)), "before the sent one, the dead-lettered one was the last tried");
    }

    // ---- the plans PostgreSQL caches: the driver prepares a statement on the server from its fifth
    // run on, and PostgreSQL may then plan it once for every value of its parameters. Such a plan can
    // use a partial index only if the statement names the statuses of its predicate literally.

    @Test
    void whatHoldsANotificationBackIsLookedUpInTheUnsettledAndUnroutedOnlyInACachedPlan() {
        Routed next = afterAHistory("u1", Channel.SMS);

        String plan = DB.genericPlan(only(DB.statementsOf(() -> forDelivery(next.notification()))));
        assertTrue(plan.contains("notification_unsettled_idx"), plan);
        assertTrue(plan.contains("event_unrouted_idx"), plan);
    }

    @Test
    void theNextHeldNotificationIsLookedUpInTheHeldOnlyInACachedPlan() {
        afterAHistory("u1", Channel.SMS);

        List<String> reads = DB.statementsOf(() -> DB.transaction(() -> {
            notifications.releaseNext("u1", Channel.SMS);
            notifications.releaseAfter("u1", 0);
        }));
        assertEquals(2, reads.size(), reads.toString());
        for (String read : reads) {
            String plan = DB.genericPlan(read);
            assertTrue(plan.contains("notification_held_idx"), read + "\n" + plan);
        }
    }

    // ---- fixtures

    /**
     * A user's new notification on the channel after a long history of settled ones (among other
     * users' histories), with the tables' statistics taken, as in a system that has run a while.
     */
    private Routed afterAHistory(String userId, Channel channel) {
        DB.update("""
                INSERT INTO event (event_id, event_type, user_id, occurred_at, payload, status, processed_at)
                SELECT 'history-' || i, 'payment.failed', CASE WHEN i % 10 = 0 THEN ? ELSE 'other-' || i % 50 END, now(),
                       '{}', 'processed', now()
                FROM generate_series(1, 5000) AS i""", userId);
        DB.update("""
                INSERT INTO notification (notification_id, event_id, user_id, channel, address, content, status, event_seq, sent_at)
                SELECT gen_random_uuid(), event_id, user_id, ?, '"+4915112345678"', '{"text": "hello"}', 'sent', seq, now()
                FROM event""", channel.wireName());
        DB.update("ANALYZE event, notification");
        return routed(userId, channel);
    }

    private static String only(List<String> statements) {
        assertEquals(1, statements.size(), statements.toString());
        return statements.get(0);
    }


    /** A user's event and its notification on a channel. */
    record Routed(PublishedEvent event, long seq, UUID notification) {
    }

    private PublishedEvent event(String userId) {
        return new PublishedEvent("evt-" + (++nextEvent), "payment.failed", userId, OffsetDateTime.now(),
                JSON.createObjectBuilder().add("payment_id", "p-" + nextEvent).build(), null);
    }

    /** Accepted over REST, not routed yet. */
    private PublishedEvent accepted(String userId) {
        PublishedEvent event = event(userId);
        DB.transaction(() -> events.recordAccepted(event).orElseThrow());
        return event;
    }

    /** A new event of the user, routed to a notification on the channel. */
    private Routed routed(String userId, Channel channel) {
        return route(accepted(userId), channel);
    }

    private Routed route(PublishedEvent event, Channel channel) {
        long seq = DB.transaction(() -> events.recordProcessed(event));
        return notification(event, seq, channel);
    }

    private Routed notification(PublishedEvent event, long seq, Channel channel) {
        UUID id = DB.transaction(() -> notifications.recordPending(event, seq, channel, JSON.createValue("+4915112345678"),
                Map.of("text", "hello"))).orElseThrow();
        return new Routed(event, seq, id);
    }

    private Delivery forDelivery(UUID notificationId) {
        return DB.transaction(() -> notifications.forDelivery(notificationId)).orElseThrow();
    }

    private Optional<UUID> deadLetteredBefore(Delivery delivery, Channel channel, Duration window) {
        return DB.transaction(() -> notifications.deadLetteredBefore(delivery, channel, OffsetDateTime.now().minus(window)));
    }

    private long seqOf(PublishedEvent event) {
        return DB.transaction(() -> events.find(event.eventId()).map(EventRecord::getSeq).orElseThrow());
    }

    private Long afterSeqOf(PublishedEvent event) {
        return (Long) DB.query("SELECT after_seq FROM event WHERE event_id = ?", event.eventId()).get(0).get("after_seq");
    }

    private static void backdateDispatch(UUID notificationId, Duration ago) {
        DB.update("UPDATE notification SET dispatched_at = now() - ? * interval '1 second' WHERE notification_id = ?",
                ago.toSeconds(), notificationId);
    }

    private static void assertRecent(OffsetDateTime time) {
        assertTrue(time != null && Duration.between(time, OffsetDateTime.now()).abs().compareTo(Duration.ofSeconds(30)) < 0, String.valueOf(time));
    }
}
