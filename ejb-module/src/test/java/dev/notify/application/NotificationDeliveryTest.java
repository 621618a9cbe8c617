package dev.notify.application;

import static dev.notify.domain.JsonApi.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.notify.application.NotificationDelivery.Outcome;
import dev.notify.application.NotificationDelivery.Received;
import dev.notify.domain.Channel;
import dev.notify.domain.PublishedEvent;
import dev.notify.infrastructure.channels.ChannelSender;
import dev.notify.infrastructure.persistence.TestDatabase;

/**
 * A notification's message that comes before its row, on a real PostgreSQL. XA may commit the
 * broker's branch of the router's transaction first, and a database restarted between the two
 * commits keeps its branch in doubt until recovery commits it: the fault suite's
 * database-restarted dead-lettered three such messages after their five attempts, 15 s, before
 * recovery committed their rows.
 */
class NotificationDeliveryTest {

    private static final TestDatabase DB = TestDatabase.shared();
    private static final int MAX_ATTEMPTS = 5;

    private final TestDatabase.Stores stores = DB.stores();
    private final NotificationDelivery delivery = new NotificationDelivery();
    private final ChannelSender neverCalled = notification -> fail("no row, no provider call");
    private final UUID notStored = UUID.randomUUID();

    @BeforeEach
    void emptyDatabase() {
        DB.clear();
        RetryPolicy retries = new RetryPolicy();
        retries.maxAttempts = MAX_ATTEMPTS;
        delivery.retries = retries;
        delivery.notifications = stores.notifications;
        delivery.events = stores.events;
        delivery.failures = stores.failures;
    }

    @Test
    void beforeItsLastAttemptItIsRetried() {
        PublishedEvent event = accepted();

        assertInstanceOf(Outcome.Retry.class, deliver(new Received(notStored, event.eventId(), MAX_ATTEMPTS - 1, 0, false)));
    }

    @Test
    void onItsLastAttemptItWaitsForTheRoutersCommitWhileItsEventIsUnrouted() {
        PublishedEvent event = accepted();

        Outcome outcome = deliver(new Received(notStored, event.eventId(), MAX_ATTEMPTS, 3, false));

        Outcome.Later later = assertInstanceOf(Outcome.Later.class, outcome);
        assertEquals(RetryPolicy.ROUTING_IN_DOUBT_WAIT, later.delay());
        assertEquals(MAX_ATTEMPTS - 1, later.attemptsUsed(), "the wait uses no attempt");
        assertEquals(4, later.deferrals());
    }

    @Test
    void itIsDeadLetteredWhenItsEventWasRoutedWithoutIt() {
        PublishedEvent event = accepted();
        DB.transaction(() -> stores.events.recordProcessed(event));

        Outcome outcome = deliver(new Received(notStored, event.eventId(), MAX_ATTEMPTS, 0, false));

        assertEquals("no notification " + notStored + " is stored (looked for on 5 attempts)",
                assertInstanceOf(Outcome.DeadLetter.class, outcome).reason());
    }

    @Test
    void itIsDeadLetteredWhenItNamesNoStoredEvent() {
        assertInstanceOf(Outcome.DeadLetter.class, deliver(new Received(notStored, "no-such-event", MAX_ATTEMPTS, 0, false)));
        assertInstanceOf(Outcome.DeadLetter.class, deliver(new Received(notStored, null, MAX_ATTEMPTS, 0, false)));
    }

    @Test
    void itIsDeadLetteredOnceItHasWaitedAsOftenAsADeferralMay() {
        PublishedEvent event = accepted();

        Outcome outcome = deliver(new Received(notStored, event.eventId(), MAX_ATTEMPTS, RetryPolicy.MAX_DEFERRALS, false));

        assertTrue(assertInstanceOf(Outcome.DeadLetter.class, outcome).reason().endsWith(
                "(looked for on 5 attempts, and " + RetryPolicy.MAX_DEFERRALS + " times while its event was not routed)"));
    }

    private Outcome deliver(Received message) {
        return DB.transaction(() -> delivery.deliver(Channel.SMS, message, neverCalled));
    }

    /** Accepted over REST, its routing not committed in the database. */
    private PublishedEvent accepted() {
        PublishedEvent event = new PublishedEvent("evt-" + UUID.randomUUID(), "payment.failed", "u1", OffsetDateTime.now(),
                JSON.createObjectBuilder().add("payment_id", "p-1").build(), null);
        DB.transaction(() -> stores.events.recordAccepted(event).orElseThrow());
        return event;
    }
}
