package dev.notify.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMailUtil;

import dev.notify.runner.LocalSinks;

/** From an event to the providers: one notification per enabled channel, checked where it arrives. */
class NotificationsIT extends DeployedService {

    private static final Duration DELIVERY = Duration.ofSeconds(45);

    @Test
    void eventBecomesOneNotificationPerEnabledChannel() throws MessagingException {
        Recipient user = createRecipient();
        JsonObject event = paymentFailed(user, "p-1");

        assertEquals(202, api.publish(event).status());

        List<JsonObject> notifications = awaitSettled(event, 3);
        assertEquals(List.of("sent", "sent", "sent"), notifications.stream().map(n -> n.getString("status")).toList());
        MimeMessage mail = mailsTo(user).get(0);
        assertEquals("<" + notificationId(notifications, "email") + "@notify>", mail.getMessageID());
        assertEquals("Payment p-1 failed", mail.getSubject());
        assertTrue(GreenMailUtil.getBody(mail).contains("your payment p-1 could not be completed"), GreenMailUtil.getBody(mail));
        LocalSinks.ProviderRequest sms = providerRequests("sms", user).get(0);
        assertEquals(notificationId(notifications, "sms"), sms.idempotencyKey());
        assertEquals("Payment p-1 failed. Please check your payment details.", Api.parse(sms.body()).getString("text"));
        LocalSinks.ProviderRequest push = providerRequests("push", user).get(0);
        assertEquals(notificationId(notifications, "push"), push.idempotencyKey());
        assertEquals("Payment failed", Api.parse(push.body()).getString("title"));
    }

    @Test
    void duplicateEventIsDeliveredOnceOnEveryChannel() {
        Recipient user = createRecipient();
        JsonObject event = paymentFailed(user, "p-2");

        assertEquals(202, api.publish(event).status());
        assertEquals(202, api.publish(event).status());
        Broker.produce(jms -> jms.createProducer().send(jms.createTopic(Broker.EVENTS_TOPIC), event.toString()));
        awaitSettled(event, 3);
        await().atMost(DELIVERY).until(() -> Broker.drained(Broker.ROUTER_QUEUE) && Broker.drained("notification.email")
                && Broker.drained("notification.sms") && Broker.drained("notification.push"));

        assertEquals(1, mailsTo(user).size());
        assertEquals(1, providerRequests("sms", user).size());
        assertEquals(1, providerRequests("push", user).size());
    }

    @Test
    void disabledChannelGetsNothing() {
        Recipient user = recipientOnOneChannel("sms");
        JsonObject event = paymentFailed(user, "p-3");

        assertEquals(202, api.publish(event).status());

        List<JsonObject> notifications = awaitSettled(event, 1);
        assertEquals("sms", notifications.get(0).getString("channel"));
        assertEquals(1, providerRequests("sms", user).size());
        assertEquals(List.of(), mailsTo(user));
        assertEquals(List.of(), providerRequests("push", user));
    }

    @Test
    void unknownRecipientFailsWithReason() {
        JsonObject event = Api.event("shipment.updated", Json.createObjectBuilder().add("shipment_id", "s-1").add("status", "shipped"))
                .build();

        assertEquals(202, api.publish(event).status());

        JsonObject notification = awaitSettled(event, 1).get(0);
        assertEquals("push", notification.getString("channel"));
        assertEquals("failed", notification.getString("status"));
        assertTrue(notification.getString("last_error").startsWith("no recipient with user_id"), notification.toString());
    }

    @Test
    void providerOutageIsRetriedAndDeliveredOnceItRecovers() {
        Recipient user = recipientOnOneChannel("sms");
        TestInfrastructure.sinks().failNext("sms", "503", 2);
        JsonObject event = paymentFailed(user, "p-4");

        assertEquals(202, api.publish(event).status());

        JsonObject notification = awaitSettled(event, 1).get(0);
        assertEquals("sent", notification.getString("status"), notification.toString());
        assertEquals(3, notification.getInt("attempts"));
        assertEquals(1, providerRequests("sms", user).size());
    }

    @Test
    void aDeadLetterLongAgoNoLongerCutsTheNextNotificationsRetriesShort() {
        Recipient user = recipientOnOneChannel("sms");
        String deadLettered = sentOnOneChannel(user, "p-long-ago");
        // as if it had been dead-lettered two hours ago: beyond NOTIFY_DELIVERY_CHANNEL_FAILING_FOR (1 h)
        Db.deadLetteredAt(deadLettered, OffsetDateTime.now().minusHours(2));
        TestInfrastructure.sinks().failNext("sms", "503", 1);
        JsonObject event = paymentFailed(user, "p-after-long-ago");

        assertEquals(202, api.publish(event).status());

        JsonObject notification = awaitSettled(event, 1).get(0);
        assertEquals("sent", notification.getString("status"), notification.toString());
        assertEquals(2, notification.getInt("attempts"), "retried as usual");
    }

    @Test
    void aThrottlingProviderIsCalledAgainWhenItAsksWithoutUsingTheAttempts() {
        Recipient user = recipientOnOneChannel("sms");
        // 429 with Retry-After: 1 for 8 s: more calls than the 5 attempts, and longer than their back-off
        TestInfrastructure.sinks().failFor("sms", "429", Duration.ofSeconds(8), "1", 0);
        JsonObject event = paymentFailed(user, "p-throttled");

        assertEquals(202, api.publish(event).status());

        JsonObject notification = awaitSettled(event, 1).get(0);
        assertEquals("sent", notification.getString("status"), notification.toString());
        assertEquals(1, notification.getInt("attempts"), "a throttled call is not an attempt");
        assertEquals(1, providerRequests("sms", user).size());
        assertEquals(List.of(), Db.failures("notification.sms", event.getString("event_id")), "no attempt failed");
    }

    @Test
    void providerTimeoutIsRetried() {
        Recipient user = recipientOnOneChannel("push");
        TestInfrastructure.sinks().failNext("push", "timeout", 1);
        JsonObject event = paymentFailed(user, "p-6");

        assertEquals(202, api.publish(event).status());

        JsonObject notification = awaitSettled(event, 1).get(0);
        assertEquals("sent", notification.getString("status"), notification.toString());
        assertEquals(2, notification.getInt("attempts"));
        assertEquals(1, providerRequests("push", user).size());
    }

    @Test
    void notificationThatAlwaysFailsIsDeadLetteredAfterItsAttemptsAndSentOnceWhenAnOperatorSendsItBack() throws JMSException {
        Recipient user = recipientOnOneChannel("push");
        TestInfrastructure.sinks().failNext("push", "503", 5);
        JsonObject event = paymentFailed(user, "p-7");

        assertEquals(202, api.publish(event).status());

        // 5 attempts with 1 + 2 + 4 + 8 s of back-off between them
        await().atMost(Duration.ofSeconds(90)).until(() -> notificationsOf(event).stream()
                .anyMatch(n -> n.getString("status").equals("dead-lettered")));
        JsonObject notification = notificationsOf(event).get(0);
        assertEquals(5, notification.getInt("attempts"));
        assertTrue(notification.getString("last_error").contains("answered 503"), notification.toString());
        String selector = "notification_id = '" + notification.getString("notification_id") + "'";
        await().atMost(DELIVERY).until(() -> Broker.deadLetters("DLQ.notification.push", selector).size() == 1);
        String reason = Broker.deadLetters("DLQ.notification.push", selector).get(0).getStringProperty("dead_letter_reason");
        assertTrue(reason.startsWith("failed on all 5 attempts, the last with: ") && reason.contains("answered 503"), reason);
        assertEquals(List.of(), providerRequests("push", user));

        // the provider is back: the operator sends the dead letter back to its queue
        String deadLetter = Broker.deadLetters("DLQ.notification.push", selector).get(0).getJMSMessageID().substring("ID:".length());
        Api.Response sentBack = api.post("admin/dead-letters/DLQ.notification.push/" + deadLetter + "/retry", "application/json", "");

        assertEquals(204, sentBack.status(), sentBack.body());
        await().atMost(DELIVERY).until(() -> "sent".equals(Db.notificationStatus(notification.getString("notification_id"))));
        assertEquals(1, providerRequests("push", user).size(), "sent once, when sent back");
        assertEquals(List.of(), Broker.deadLetters("DLQ.notification.push", selector));
    }

    @Test
    void providerRejectionIsNotRetried() {
        Recipient user = recipientOnOneChannel("push");
        TestInfrastructure.sinks().failNext("push", "400", 1);
        JsonObject event = paymentFailed(user, "p-5");

        assertEquals(202, api.publish(event).status());

        JsonObject notification = awaitSettled(event, 1).get(0);
        assertEquals("failed", notification.getString("status"));
        assertEquals(1, notification.getInt("attempts"));
        assertTrue(notification.getString("last_error").contains("answered 400"), notification.toString());
        assertEquals(List.of(), providerRequests("push", user));
    }

    @Test
    void notificationsOfOneUserArriveInPublishOrder() {
        List<Recipient> users = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            users.add(recipientOnOneChannel("sms"));
        }
        // 200 events, the users interleaved, published in 4 batches
        Map<Recipient, List<String>> published = new LinkedHashMap<>();
        users.forEach(user -> published.put(user, new ArrayList<>()));
        for (int batch = 0; batch < 4; batch++) {
            JsonArrayBuilder events = Json.createArrayBuilder();
            for (int i = 0; i < 50; i++) {
                int sequence = batch * 50 + i;
                Recipient user = users.get(sequence % users.size());
                String paymentId = "seq-" + sequence;
                published.get(user).add(paymentId);
                events.add(paymentFailed(user, paymentId));
            }
            assertEquals(200, api.post("events/batch", "application/json",
                    Json.createObjectBuilder().add("events", events).build().toString()).status());
        }

        await().atMost(Duration.ofSeconds(120)).until(() ->
                users.stream().mapToInt(user -> providerRequests("sms", user).size()).sum() == 200);

        for (Recipient user : users) {
            assertEquals(published.get(user), smsPaymentIds(user), "the SMS of " + user.userId() + " in the order of their events");
        }
    }

    @Test
    void aRetriedNotificationIsNotOvertakenByTheUsersLaterOnes() {
        Recipient user = recipientOnOneChannel("sms");
        TestInfrastructure.sinks().failNext("sms", "503", 1);
        List<JsonObject> events = List.of(paymentFailed(user, "retried-1"), paymentFailed(user, "retried-2"),
                paymentFailed(user, "retried-3"));

        publishBatch(events);

        await().atMost(DELIVERY).until(() -> providerRequests("sms", user).size() == events.size());
        assertEquals(List.of("retried-1", "retried-2", "retried-3"), smsPaymentIds(user), "in the order published");
        assertEquals(2, awaitSettled(events.get(0), 1).get(0).getInt("attempts"), "the first one was retried");
    }

    @Test
    void anEventTheRouterRetriesIsNotOvertakenByTheUsersLaterOnes() {
        Recipient user = recipientOnOneChannel("sms");
        JsonObject retried = Api.event("payment.failed", Json.createObjectBuilder().add("payment_id", "routed-1")
                .add(FaultInjection.FAIL_ATTEMPTS, 1)).add("user_id", user.userId()).build();
        List<JsonObject> events = List.of(retried, paymentFailed(user, "routed-2"), paymentFailed(user, "routed-3"));

        publishBatch(events);

        await().atMost(DELIVERY).until(() -> providerRequests("sms", user).size() == events.size());
        assertEquals(List.of("routed-1", "routed-2", "routed-3"), smsPaymentIds(user), "in the order published");
        assertEquals(1, Db.failures("router", retried.getString("event_id")).size(), "the router retried the first one");
    }

    @Test
    void aUsersDeadLetteredNotificationReleasesTheNextOnesWhichAreTriedOnceEachWhileTheChannelFails() throws JMSException {
        Recipient user = recipientOnOneChannel("sms");
        // the first one's 5 attempts, then one each for the next two
        TestInfrastructure.sinks().failNext("sms", "503", 7);
        List<JsonObject> events = List.of(paymentFailed(user, "outage-1"), paymentFailed(user, "outage-2"),
                paymentFailed(user, "outage-3"), paymentFailed(user, "outage-4"));

        publishBatch(events);

        // 1 + 2 + 4 + 8 s of back-off for the first one
        JsonObject last = awaitSettled(events.get(3), 1, Duration.ofSeconds(90)).get(0);
        assertEquals("sent", last.getString("status"), last.toString());
        assertEquals(List.of("outage-4"), smsPaymentIds(user), "the channel works again for the last one");
        JsonObject first = notificationsOf(events.get(0)).get(0);
        assertEquals("dead-lettered", first.getString("status"));
        assertEquals(5, first.getInt("attempts"));
        OffsetDateTime firstGivenUp = Db.failures("notification.sms", events.get(0).getString("event_id")).get(4).failedAt();
        for (JsonObject next : events.subList(1, 3)) {
            JsonObject notification = notificationsOf(next).get(0);
            assertEquals("dead-lettered", notification.getString("status"), notification.toString());
            assertEquals(1, notification.getInt("attempts"), "tried once, as the channel still failed for the user");
            List<Db.Failure> failures = Db.failures("notification.sms", next.getString("event_id"));
            assertTrue(failures.get(0).failedAt().isAfter(firstGivenUp), "held until the one before it was dead-lettered");
        }
        String selector = "notification_id = '" + notificationsOf(events.get(1)).get(0).getString("notification_id") + "'";
        await().atMost(DELIVERY).until(() -> Broker.deadLetters("DLQ.notification.sms", selector).size() == 1);
        String reason = Broker.deadLetters("DLQ.notification.sms", selector).get(0).getStringProperty("dead_letter_reason");
        assertTrue(reason.startsWith("failed on attempt 1 while the channel fails for this user"), reason);
    }

    @Test
    void aPendingNotificationWhoseMessageWentMissingIsSentAgain() {
        Recipient user = recipientOnOneChannel("sms");
        String notificationId = sentOnOneChannel(user, "lost-message-1");
        assertEquals(1, providerRequests("sms", user).size());

        Db.loseMessageOf(notificationId);

        assertSentAgain(notificationId, user);
    }

    /**
     * XA may commit the broker's branch before the database's: a notification's message can come
     * before its row is visible. Played here by hiding the row until the worker has had the
     * message once; it must be tried again, not dead-lettered.
     */
    @Test
    void aMessageThatComesBeforeItsNotificationIsVisibleIsTriedAgain() {
        Recipient user = recipientOnOneChannel("sms");
        String notificationId = sentOnOneChannel(user, "row-late-1");

        Db.hideNotification(notificationId);
        resendAndAwaitItsRedelivery(notificationId, user);
        Db.showNotificationPending(notificationId);

        assertSentAgain(notificationId, user);
        assertEquals(0, Broker.deadLetters("DLQ.notification.sms", "notification_id = '" + notificationId + "'").size());
    }

    /**
     * A released notification's message can likewise come while the row still says held: it must
     * be tried again, not acknowledged and forgotten (the user's later ones would wait behind it).
     */
    @Test
    void aReleasedNotificationsMessageThatComesWhileItStillLooksHeldIsTriedAgain() {
        Recipient user = recipientOnOneChannel("sms");
        String notificationId = sentOnOneChannel(user, "release-late-1");

        Db.setNotificationStatus(notificationId, "held");
        resendAndAwaitItsRedelivery(notificationId, user);
        Db.setNotificationStatus(notificationId, "pending");

        assertSentAgain(notificationId, user);
    }

    /**
     * The notification's message once more, as its dispatch puts it on the channel's queue; back
     * once the worker has rolled it back for a redelivery after the back-off.
     */
    private static void resendAndAwaitItsRedelivery(String notificationId, Recipient user) {
        Broker.produce(jms -> {
            TextMessage message = jms.createTextMessage(notificationId);
            try {
                message.setStringProperty("notification_id", notificationId);
                message.setStringProperty("JMSXGroupID", user.userId());
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
            jms.createProducer().send(jms.createQueue("notification.sms"), message);
        });
        await("the worker to give the message back for a redelivery").atMost(DELIVERY)
                .until(() -> Broker.queue("notification.sms").getScheduledCount() > 0);
    }

    /** The periodic tasks that need the database: each fails while it is away. */
    private static final List<String> DATABASE_TASKS = List.of("stalled-work-sweep", "job-leases", "dedup-pruning");

    @Test
    void everyPeriodicTaskSurvivesADatabaseOutageOfSeveralRoundsAndTheSweepThenWorks() {
        Recipient user = recipientOnOneChannel("sms");
        String notificationId = sentOnOneChannel(user, "after-outage-1");
        Scrape beforeOutage = scrape();

        Db.refuseConnections();
        try {
            // two failed timeouts made Payara cancel an interval timer for good (EJB5119); the job
            // leases' round comes every 5 s (the default 30 s lease / 6), the others' every 1 or 2 s
            await("every database task to fail three rounds").atMost(Duration.ofSeconds(60)).until(() -> {
                Scrape now = scrape();
                return DATABASE_TASKS.stream().allMatch(task -> rounds(now, task, "failed") - rounds(beforeOutage, task, "failed") >= 3);
            });
        } finally {
            Db.acceptConnections();
        }
        Scrape afterOutage = scrape();
        await("every periodic task to run a round again").atMost(Duration.ofSeconds(60)).until(() -> {
            Scrape now = scrape();
            return DATABASE_TASKS.stream().allMatch(task -> rounds(now, task, "done") > rounds(afterOutage, task, "done"));
        });

        Db.loseMessageOf(notificationId);
        await("the stalled-work sweep to send it again").atMost(DELIVERY).until(() -> providerRequests("sms", user).size() == 2);
    }

    /** A payment.failed event of the user's (a recipient on one channel), published and settled: its notification's id. */
    private String sentOnOneChannel(Recipient user, String paymentId) {
        JsonObject event = paymentFailed(user, paymentId);
        assertEquals(202, api.publish(event).status());
        return awaitSettled(event, 1).get(0).getString("notification_id");
    }

    /** The user's SMS notification reached the provider a second time, with its own key, and is sent. */
    private static void assertSentAgain(String notificationId, Recipient user) {
        await().atMost(DELIVERY).until(() -> providerRequests("sms", user).size() == 2);
        assertEquals(notificationId, providerRequests("sms", user).get(1).idempotencyKey(), "sent again, with its own key");
        await().atMost(DELIVERY).until(() -> "sent".equals(Db.notificationStatus(notificationId)));
    }

    private static double rounds(Scrape scrape, String task, String outcome) {
        return scrape.value("notify_periodic_rounds_total", Scrape.label("task", task), Scrape.label("outcome", outcome));
    }

    @Test
    void aHeldNotificationWhoseReleaseWentMissingIsSentAgain() {
        Recipient user = recipientOnOneChannel("sms");
        String notificationId = sentOnOneChannel(user, "lost-release-1");

        Db.loseReleaseOf(notificationId);

        assertSentAgain(notificationId, user);
    }

    @Test
    void anAcceptedEventWhoseMessageWentMissingIsPublishedAgain() {
        Recipient user = recipientOnOneChannel("sms");
        JsonObject event = paymentFailed(user, "lost-message-2");

        Db.insertAcceptedWithoutMessage(event);

        await().atMost(DELIVERY).until(() -> providerRequests("sms", user).size() == 1);
        assertEquals(List.of("lost-message-2"), smsPaymentIds(user));
        assertEquals("processed", Db.status(event.getString("event_id")));
    }

    @Test
    void eventsAcceptedWhileTheBrokerIsDownAreSentInOrderWhenItIsBack() {
        Recipient user = recipientOnOneChannel("sms");
        List<String> published = List.of("outage-1", "outage-2", "outage-3", "outage-4", "outage-5");

        TestInfrastructure.whileBrokerIsDown(() -> {
            for (String paymentId : published) {
                Api.Response accepted = api.publish(paymentFailed(user, paymentId));
                assertEquals(202, accepted.status(), accepted.body());
            }
            assertEquals(published.size(), Db.countStartingWith("outbox", "user_id", user.userId()), "waiting in the outbox");
        });

        await().atMost(DELIVERY).until(() -> providerRequests("sms", user).size() == published.size());
        assertEquals(published, smsPaymentIds(user), "in the order published");
        assertEquals(0, Db.countStartingWith("outbox", "user_id", user.userId()));
    }

    /**
     * One user's backlog behind an outbox row that another transaction holds (one left in doubt by
     * a crash, say): more of their rows than a batch takes. The other users' events must go on.
     */
    @Test
    void otherUsersEventsGoOnPastOneUsersBacklogBehindAHeldOutboxRow() {
        Recipient blocked = recipientOnOneChannel("sms");
        Recipient other = recipientOnOneChannel("sms");
        List<JsonObject> backlog = new ArrayList<>();
        for (int i = 0; i <= 100; i++) { // the held one, then a full batch (NOTIFY_OUTBOX_BATCH_SIZE 100) behind it
            backlog.add(paymentFailed(blocked, "backlog-" + i));
        }
        JsonObject othersEvent = paymentFailed(other, "past-the-backlog");
        Db.RowLock[] held = new Db.RowLock[1];

        TestInfrastructure.whileBrokerIsDown(() -> {
            publishBatch(backlog);
            assertEquals(202, api.publish(othersEvent).status());
            held[0] = Db.lockOutboxRowOf(backlog.get(0).getString("event_id"));
        });
        try {
            await("the other user's event to pass the backlog").atMost(DELIVERY)
                    .until(() -> providerRequests("sms", other).size() == 1);
            assertEquals(List.of(), providerRequests("sms", blocked), "the held user's events wait for their first");
        } finally {
            held[0].close();
        }

        await().atMost(DELIVERY).until(() -> providerRequests("sms", blocked).size() == backlog.size());
        assertEquals(backlog.stream().map(event -> event.getJsonObject("payload").getString("payment_id")).toList(),
                smsPaymentIds(blocked), "in the order published");
    }

    @Test
    void historyReplayReprocessesATimeRangeWithoutDuplicateNotifications() {
        Recipient user = recipientOnOneChannel("sms");
        JsonObject before = published(paymentFailed(user, "h-0"));
        Instant from = Instant.now();
        JsonObject lost = published(paymentFailed(user, "h-1"));
        JsonObject kept = published(paymentFailed(user, "h-2"));
        Instant to = Instant.now();
        JsonObject after = published(paymentFailed(user, "h-3"));
        Db.deleteNotifications(lost.getString("event_id"));
        Map<JsonObject, OffsetDateTime> processedAt = new LinkedHashMap<>();
        for (JsonObject event : List.of(before, lost, kept, after)) {
            processedAt.put(event, Db.processedAt(event.getString("event_id")));
        }
        long activityAdded = Broker.queue("activity").getMessagesAdded();

        Api.Response started = api.post("admin/history-replays", "application/json", Json.createObjectBuilder()
                .add("subscription", "router").add("from", from.toString()).add("to", to.toString())
                .add("rate_per_second", 20).build().toString());

        assertEquals(202, started.status(), started.body());
        String job = URI.create(started.location()).getPath().replaceFirst("^/api/v1/", "");
        await().atMost(DELIVERY).until(() -> !api.get(job).json().getString("status").equals("running"));
        JsonObject finished = api.get(job).json();
        assertEquals("completed", finished.getString("status"), finished.toString());
        assertEquals(2, finished.getInt("total"), "the two events published in the range: " + finished);
        assertEquals(2, finished.getInt("done"));
        for (JsonObject replayed : List.of(lost, kept)) {
            await().atMost(DELIVERY).until(() -> Db.processedAt(replayed.getString("event_id")).isAfter(processedAt.get(replayed)));
        }
        assertEquals("sent", awaitSettled(lost, 1).get(0).getString("status"), "the lost notification is made and sent again");
        await().atMost(DELIVERY).until(() -> smsTexts(user).stream().filter(text -> text.contains("h-1")).count() == 2);
        assertEquals(1, smsTexts(user).stream().filter(text -> text.contains("h-2")).count(), "no notification twice");
        for (JsonObject untouched : List.of(before, after)) {
            assertEquals(processedAt.get(untouched), Db.processedAt(untouched.getString("event_id")), "outside the range");
        }
        assertEquals(activityAdded, Broker.queue("activity").getMessagesAdded(), "the replay must reach the router only");

        assertEquals(List.of("subscription"), fields(api.post("admin/history-replays", "application/json",
                Json.createObjectBuilder().add("subscription", "email").add("from", from.toString())
                        .add("to", to.toString()).build().toString())));
    }

    private JsonObject published(JsonObject event) {
        assertEquals(202, api.publish(event).status());
        awaitSettled(event, 1);
        return event;
    }

    private void publishBatch(List<JsonObject> events) {
        JsonArrayBuilder batch = Json.createArrayBuilder();
        events.forEach(batch::add);
        Api.Response answer = api.post("events/batch", "application/json",
                Json.createObjectBuilder().add("events", batch).build().toString());
        assertEquals(200, answer.status(), answer.body());
    }

    /** The payment ids of the user's SMS, in the order the provider received them. */
    private static List<String> smsPaymentIds(Recipient user) {
        return smsTexts(user).stream().map(text -> text.split(" ")[1]).toList();
    }

    private static List<String> smsTexts(Recipient user) {
        return providerRequests("sms", user).stream().map(request -> Api.parse(request.body()).getString("text")).toList();
    }

    private record Recipient(String userId, String email, String phone, String pushToken) {
        String path() {
            return "users/" + userId;
        }
    }

    private Recipient createRecipient() {
        long n = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
        Recipient user = new Recipient("it-user-" + n, "user-" + n + "@example.org", "+49" + n, "device-" + n);
        Api.Response created = api.put(user.path(), Json.createObjectBuilder()
                .add("email", user.email()).add("phone", user.phone())
                .add("push_tokens", Json.createArrayBuilder().add(user.pushToken())).build().toString());
        assertEquals(201, created.status(), created.body());
        return user;
    }

    /** A recipient who gets payment.failed on this channel only. */
    private Recipient recipientOnOneChannel(String channel) {
        Recipient user = createRecipient();
        Api.Response saved = api.put(user.path() + "/preferences",
                "{\"event_types\": {\"payment.failed\": {\"channels\": [\"" + channel + "\"]}}}");
        assertEquals(200, saved.status(), saved.body());
        return user;
    }

    private static JsonObject paymentFailed(Recipient user, String paymentId) {
        return Api.event("payment.failed", Json.createObjectBuilder().add("payment_id", paymentId))
                .add("user_id", user.userId()).build();
    }

    /** The event's notifications once there are {@code count} and none is pending any more. */
    private List<JsonObject> awaitSettled(JsonObject event, int count) {
        return awaitSettled(event, count, DELIVERY);
    }

    private List<JsonObject> awaitSettled(JsonObject event, int count, Duration atMost) {
        await().atMost(atMost).until(() -> {
            List<JsonObject> notifications = notificationsOf(event);
            return notifications.size() == count
                    && notifications.stream().noneMatch(n -> List.of("pending", "held").contains(n.getString("status")));
        });
        return notificationsOf(event);
    }

    private List<JsonObject> notificationsOf(JsonObject event) {
        return api.get("events/" + event.getString("event_id")).json().getJsonArray("notifications").getValuesAs(JsonObject.class);
    }

    private static String notificationId(List<JsonObject> notifications, String channel) {
        return notifications.stream().filter(n -> n.getString("channel").equals(channel)).findFirst().orElseThrow()
                .getString("notification_id");
    }

    private static List<MimeMessage> mailsTo(Recipient user) {
        return TestInfrastructure.sinks().mails().stream().filter(mail -> {
            try {
                return GreenMailUtil.getAddressList(mail.getRecipients(Message.RecipientType.TO)).contains(user.email());
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static List<LocalSinks.ProviderRequest> providerRequests(String provider, Recipient user) {
        return TestInfrastructure.sinks().received(provider).stream()
                .filter(request -> request.body().contains(provider.equals("sms") ? user.phone() : user.pushToken()))
                .toList();
    }
}
