package dev.notify.application;

import static dev.notify.domain.JsonApi.JSON;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import jakarta.enterprise.event.Event;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeTry;

import dev.notify.application.NotificationDelivery.Outcome;
import dev.notify.application.NotificationDelivery.Received;
import dev.notify.domain.Channel;
import dev.notify.domain.EventType;
import dev.notify.domain.PublishedEvent;
import dev.notify.domain.RecipientDetails;
import dev.notify.infrastructure.channels.ChannelSender;
import dev.notify.infrastructure.channels.PermanentFailure;
import dev.notify.infrastructure.channels.TemporaryFailure;
import dev.notify.infrastructure.messaging.Messaging;
import dev.notify.infrastructure.messaging.NotificationDispatcher;
import dev.notify.infrastructure.monitoring.Metrics;
import dev.notify.infrastructure.persistence.NotificationStore.Delivery;
import dev.notify.infrastructure.persistence.NotificationStore.Released;
import dev.notify.infrastructure.persistence.TestDatabase;
import dev.notify.infrastructure.templates.NotificationTemplates;
import dev.notify.persistence.EventRecord;
import dev.notify.persistence.NotificationStatus;

/**
 * The per-user order rule as a whole, model-based: random interleavings, for a few users on every
 * channel, of events accepted and routed (or failed by the router), channel messages delivered with
 * the provider sending, failing, refusing or throttling, a worker crashing after the provider call
 * (the message redelivered), a message delivered again after its commit, a message lost (the
 * stalled-work sweep then runs) and the sweep on its own. The real EventRouting,
 * NotificationDelivery and stores run against the embedded PostgreSQL; the broker is a model of
 * the queues (per-user message groups in order, a rolled-back message to the back of its group as
 * with a redelivery delay, a deferred one put back at the back), the provider a recorder. After
 * every step and after draining every queue: each user's notifications on a channel reach the
 * provider in their events' order; nothing is held without a holder; nothing pending lacks a
 * message, nor an accepted event its router message; every status change is one NotificationStatus
 * allows; nothing is sent twice but after a crash that followed its provider call. At the end
 * nothing is left pending, held or unrouted.
 */
class DeliveryOrderModelTest {

    private static final TestDatabase DB = TestDatabase.shared();
    /** Two: the generator (steps) weighs them by hand. */
    private static final int USERS = 2;
    /** Few, so that a message's last attempt comes often. */
    private static final int MAX_ATTEMPTS = 2;

    // ---- the steps

    /** The provider's answer to a call. */
    enum Provider { SENDS, FAILS, REFUSES, THROTTLES }

    /** What happens to the worker's transaction besides the delivery's own outcome. */
    enum Fault {
        NONE,
        /** The worker dies after the provider call, before its commit: all rolls back, the message is redelivered. */
        CRASH,
        /** The message is delivered again after its commit (an acknowledgement lost in a failover). */
        DUPLICATE
    }

    /** The types differ in their channels: order.placed email and push, payment.failed all three, shipment.updated push. */
    enum Kind {
        ORDER(EventType.ORDER_PLACED, "order_id"), PAYMENT(EventType.PAYMENT_FAILED, "payment_id"),
        SHIPMENT(EventType.SHIPMENT_UPDATED, "shipment_id");

        final EventType type;
        final String idField;

        Kind(EventType type, String idField) {
            this.type = type;
            this.idField = idField;
        }
    }

    sealed interface Step {
    }

    /** A user's event accepted over REST, its message on the router's topic. */
    record Accept(int user, Kind kind) implements Step {
    }

    /** The router takes the user's first event message and routes it. */
    record Route(int user) implements Step {
    }

    /** The router fails on the user's first event message: retried from the back of the group, given up on its last attempt. */
    record RouterFails(int user) implements Step {
    }

    /** The channel's worker takes the user's first message there (or on the next channel that has one). */
    record Deliver(int user, Channel channel, Provider provider, Fault fault) implements Step {
    }

    /** The user's first message on the channel (or the next that has one) is lost; the stalled-work sweep then runs. */
    record Lose(int user, Channel channel) implements Step {
    }

    /** The stalled-work sweep, with nothing too recent for it. */
    record Sweep() implements Step {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        // mostly the first user, whose notifications then interleave; the second keeps to their own
        Arbitrary<Integer> user = Arbitraries.frequency(Tuple.of(3, 0), Tuple.of(1, 1));
        Arbitrary<Channel> channel = Arbitraries.of(Channel.class);
        Arbitrary<Step> accept = Combinators.combine(user, Arbitraries.of(Kind.class)).as(Accept::new);
        Arbitrary<Step> route = user.map(Route::new);
        Arbitrary<Step> routerFails = user.map(RouterFails::new);
        Arbitrary<Step> deliver = Combinators.combine(user, channel,
                Arbitraries.frequency(Tuple.of(4, Provider.SENDS), Tuple.of(4, Provider.FAILS), Tuple.of(1, Provider.REFUSES),
                        Tuple.of(1, Provider.THROTTLES)),
                Arbitraries.frequency(Tuple.of(8, Fault.NONE), Tuple.of(1, Fault.CRASH), Tuple.of(1, Fault.DUPLICATE)))
                .as(Deliver::new);
        Arbitrary<Step> lose = Combinators.combine(user, channel).as(Lose::new);
        Arbitrary<Step> sweep = Arbitraries.just(new Sweep());
        return Arbitraries.frequencyOf(Tuple.of(5, accept), Tuple.of(5, route), Tuple.of(2, routerFails), Tuple.of(14, deliver),
                Tuple.of(1, lose), Tuple.of(1, sweep)).list().ofMinSize(1).ofMaxSize(30).withSizeDistribution(RandomDistribution.uniform());
    }

    /** Before each try, and before an example (a property of one try). */
    @BeforeTry
    void emptyDatabase() {
        DB.clear();
    }

    /**
     * Found by this model, and fixed: the stalled-work sweep sends a message again for a pending
     * notification whose message is only late (as designed: the late one finds its work done), and
     * that notification's message fails to its last attempt and is dead-lettered meanwhile (its
     * user's later notification on the channel is then released and sent). The sweep's message
     * then finds the notification dead-lettered, which NotificationDelivery took for an operator's
     * retry from the dead-letter queue, and sent it: after the user's later one, and although its
     * dead letter was still in the dead-letter queue. Now only the dead letter, sent back, sends it
     * (NotificationStatus.isSendableBy). With the
     * sweep's five minutes, it takes a message waiting longer than that without a failed attempt
     * (a backlog, or one in doubt that the transaction manager resolves late) whose attempts then
     * all fail. The minimal sequence jqwik found, on one user's email and push (order.placed).
     */
    @Example
    void aStaleMessageDoesNotSendADeadLetteredNotificationAfterTheUsersLaterOnes() {
        World world = new World();
        for (Step step : List.of(new Accept(0, Kind.ORDER), new Accept(0, Kind.ORDER), new Route(0),
                new Deliver(0, Channel.PUSH, Provider.FAILS, Fault.NONE), new Route(0), new Lose(0, Channel.EMAIL),
                new Deliver(0, Channel.PUSH, Provider.FAILS, Fault.NONE))) {
            world.run(step);
            world.checkInvariants("after " + step);
        }
        world.drain();
        world.checkNothingLeft();
    }

    /**
     * The same finding on the router's side: the sweep publishes again an accepted event whose
     * message is only late (here: waiting out a retry after the router failed), the router gives up
     * on the original message at its last attempt (the event is dead-lettered, and releases the
     * user's later notifications, which go), and the sweep's message then routes the event (the
     * give-up claimed nothing), whose notifications went after the later ones. Fixed: the give-up
     * claims the event (EventRouting.givenUp).
     */
    @Example
    void aStaleMessageDoesNotRouteAGivenUpEventAfterTheUsersLaterNotificationsWent() {
        World world = new World();
        for (Step step : List.of(new Accept(0, Kind.ORDER), new Accept(0, Kind.ORDER), new RouterFails(0), new Sweep(), new Route(0),
                new RouterFails(0), new Deliver(0, Channel.PUSH, Provider.SENDS, Fault.NONE),
                new Deliver(0, Channel.PUSH, Provider.SENDS, Fault.NONE))) {
            world.run(step);
            world.checkInvariants("after " + step);
        }
        world.drain();
        world.checkNothingLeft();
    }

    @Property(tries = 100)
    void aUsersNotificationsOnAChannelReachTheProviderInTheirEventsOrder(@ForAll("steps") List<Step> steps) {
        World world = new World();
        for (Step step : steps) {
            world.run(step);
            world.checkInvariants("after " + step);
        }
        world.drain();
        world.checkInvariants("after the drain");
        world.checkNothingLeft();
        world.collectStatistics();
    }

    // ---- the broker's model

    /** A notification's message on its channel's queue. */
    record Message(UUID notificationId, String userId, int deliveryCount, int attemptsBefore, int deferrals) {
        int attempt() {
            return deliveryCount + attemptsBefore;
        }

        /** As the worker reads it; the model's messages all come after their rows' commit, their events routed. */
        Received received() {
            return new Received(notificationId, null, attempt(), deferrals, false);
        }

        Message redelivered() {
            return new Message(notificationId, userId, deliveryCount + 1, attemptsBefore, deferrals);
        }
    }

    /** An event's message on the router's subscription. */
    record EventMessage(PublishedEvent event, int deliveryCount) {
    }

    /**
     * A successful provider call; {@code deadLettered}: the notification was dead-lettered when its
     * message came (which only a message sent back from the dead-letter queue may send: none here).
     */
    record Sent(UUID notificationId, String eventId, String userId, Channel channel, long eventSeq, boolean deadLettered) {
    }

    /** One try's world: the service's beans on the database, the queues, the provider, and what happened. */
    static final class World {
        final TestDatabase.Stores stores = DB.stores();
        final Map<Channel, Map<String, Deque<Message>>> queues = new EnumMap<>(Channel.class);
        final Map<String, Deque<EventMessage>> router = new LinkedHashMap<>();
        final List<Sent> provider = new ArrayList<>();
        /** Provider calls made again after a crash that followed a successful call, per notification. */
        final Map<UUID, Integer> resendsAllowed = new HashMap<>();
        final List<String> trace = new ArrayList<>();
        /** Events the router gave up on and then routed all the same, from a stale message. */
        final Set<String> routedAfterGivenUp = new HashSet<>();
        /**
         * Notifications whose message the model lost, until one is sent again. The sweep that follows
         * the loss takes a pending one at once, but a deferred one only when it is due: until then it
         * waits with no message (the drain waits for it).
         */
        final Set<UUID> lost = new HashSet<>();
        /** How often a notification became held, and was released (held to pending). */
        int holds;
        int releases;
        Map<UUID, NotificationStatus> statuses = Map.of();
        final RetryPolicy retries = new RetryPolicy();
        final NotificationDelivery delivery = new NotificationDelivery();
        final EventRouting routing = new EventRouting();
        int nextEvent;

        World() {
            retries.maxAttempts = MAX_ATTEMPTS;
            retries.channelFailingFor = Duration.ofHours(1);
            NotificationDispatcher dispatcher = new NotificationDispatcher() {
                @Override
                public void dispatch(Channel channel, UUID notificationId, PublishedEvent event) {
                    enqueue(channel, new Message(notificationId, event.userId(), 1, 0, 0));
                }

                @Override
                public void dispatch(Released notification) {
                    enqueue(notification.channel(), new Message(notification.notificationId(), notification.userId(), 1, 0, 0));
                }
            };
            delivery.notifications = stores.notifications;
            delivery.events = stores.events;
            delivery.failures = stores.failures;
            delivery.retries = retries;
            delivery.dispatcher = dispatcher;
            delivery.metrics = new Metrics();
            delivery.settlements = ignoredEvents();
            routing.store = stores.events;
            routing.recorded = ignoredEvents();
            routing.directory = stores.recipients;
            routing.templates = new NotificationTemplates();
            routing.notifications = stores.notifications;
            routing.dispatcher = dispatcher;
            for (Channel channel : Channel.values()) {
                queues.put(channel, new LinkedHashMap<>());
            }
            DB.transaction(() -> {
                for (int user = 0; user < USERS; user++) {
                    stores.recipients.save(userId(user), new RecipientDetails("u" + user + "@example.org", "+4915112345" + user,
                            List.of("token-" + user), "en"));
                }
            });
        }

        static String userId(int user) {
            return "user-" + user;
        }

        /** A message sent in the current transaction reaches its queue when the transaction commits. */
        void enqueue(Channel channel, Message message) {
            DB.afterCommit(() -> {
                group(channel, message.userId()).addLast(message);
                lost.remove(message.notificationId());
            });
        }

        Deque<Message> group(Channel channel, String userId) {
            return queues.get(channel).computeIfAbsent(userId, u -> new ArrayDeque<>());
        }

        /**
         * The user's group on the channel, or the first after it that has a message: on the user's
         * next channel, else on the next user's (so that few steps are wasted on empty queues).
         */
        Map.Entry<Channel, String> groupWithMessage(int user, Channel preferred) {
            for (int u = 0; u < USERS; u++) {
                for (int i = 0; i < Channel.values().length; i++) {
                    Channel channel = Channel.values()[(preferred.ordinal() + i) % Channel.values().length];
                    String userId = userId((user + u) % USERS);
                    if (!group(channel, userId).isEmpty()) {
                        return Map.entry(channel, userId);
                    }
                }
            }
            return null;
        }

        /** The user's first event message, or the next user's. */
        String routerGroupWithMessage(int user) {
            for (int u = 0; u < USERS; u++) {
                String userId = userId((user + u) % USERS);
                if (!router.getOrDefault(userId, new ArrayDeque<>()).isEmpty()) {
                    return userId;
                }
            }
            return null;
        }

        void run(Step step) {
            if (step instanceof Accept accept) {
                accept(accept.user(), accept.kind());
            } else if (step instanceof Route route) {
                String userId = routerGroupWithMessage(route.user());
                if (userId != null) {
                    route(userId);
                }
            } else if (step instanceof RouterFails fails) {
                String userId = routerGroupWithMessage(fails.user());
                if (userId != null) {
                    routerFails(userId);
                }
            } else if (step instanceof Deliver deliver) {
                Map.Entry<Channel, String> group = groupWithMessage(deliver.user(), deliver.channel());
                if (group != null) {
                    deliver(group.getKey(), group.getValue(), deliver.provider(), deliver.fault());
                }
            } else if (step instanceof Lose lose) {
                Map.Entry<Channel, String> group = groupWithMessage(lose.user(), lose.channel());
                if (group != null) {
                    Message message = group(group.getKey(), group.getValue()).removeFirst();
                    lost.add(message.notificationId());
                    trace.add("lost " + group.getKey().wireName() + " " + describe(message));
                    sweep();
                }
            } else {
                sweep();
            }
        }

        void accept(int user, Kind kind) {
            int n = ++nextEvent;
            PublishedEvent event = new PublishedEvent("evt-" + n, kind.type.wireName(), userId(user), OffsetDateTime.now(),
                    JSON.createObjectBuilder().add(kind.idField, "x-" + n).add("status", "shipped").build(), null);
            DB.transaction(() -> {
                EventRecord accepted = stores.events.recordAccepted(event).orElseThrow();
                trace.add("accepted " + event.eventId() + " (" + kind.type.wireName() + ") of " + event.userId() + " seq "
                        + accepted.getSeq());
                DB.afterCommit(() -> router.computeIfAbsent(event.userId(), u -> new ArrayDeque<>()).addLast(new EventMessage(event, 1)));
            });
        }

        /** As RouterBean: once per event id (the claim), in the message's transaction. */
        void route(String userId) {
            Deque<EventMessage> group = router.getOrDefault(userId, new ArrayDeque<>());
            if (group.isEmpty()) {
                return;
            }
            EventMessage message = group.removeFirst();
            boolean givenUp = DB.query("SELECT 1 FROM event WHERE event_id = ? AND status = 'dead-lettered'", message.event().eventId()).size() == 1;
            boolean routed = DB.transaction(() -> {
                if (!stores.events.claim(Messaging.ROUTER_SUBSCRIPTION, message.event().eventId())) {
                    return false;
                }
                routing.route(message.event(), message.deliveryCount());
                return true;
            });
            trace.add((routed ? "routed " : "skipped the duplicate ") + message.event().eventId() + (routed && givenUp ? ", given up on before" : ""));
            if (routed && givenUp) {
                routedAfterGivenUp.add(message.event().eventId());
            }
        }

        /** As EventSubscriber: the failure recorded on its own; retried, or given up on its last attempt. */
        void routerFails(String userId) {
            Deque<EventMessage> group = router.getOrDefault(userId, new ArrayDeque<>());
            if (group.isEmpty()) {
                return;
            }
            EventMessage message = group.removeFirst();
            boolean last = retries.isLast(message.deliveryCount());
            DB.transaction(() -> {
                stores.failures.record(Messaging.ROUTER_SUBSCRIPTION, message.event().eventId(), message.deliveryCount(), "router failed");
                if (last) {
                    routing.givenUp(message.event());
                } else {
                    DB.setRollbackOnly();
                }
            });
            if (last) {
                trace.add("router gave up on " + message.event().eventId());
            } else {
                trace.add("router failed on " + message.event().eventId() + ", attempt " + message.deliveryCount());
                group.addLast(new EventMessage(message.event(), message.deliveryCount() + 1));
            }
        }

        /** As ChannelWorker: the delivery in the message's transaction, then what its outcome says. */
        void deliver(Channel channel, String userId, Provider answer, Fault fault) {
            Deque<Message> group = group(channel, userId);
            Message message = group.removeFirst();
            List<Sent> called = new ArrayList<>();
            boolean[] calledAtAll = {false};
            ChannelSender sender = notification -> {
                calledAtAll[0] = true;
                switch (answer) {
                    case SENDS -> called.add(new Sent(notification.notificationId(), notification.eventId(), notification.userId(), channel,
                            notification.eventSeq(),
                            notification.status() == NotificationStatus.DEAD_LETTERED));
                    case FAILS -> throw new TemporaryFailure("503 from the provider", null);
                    case REFUSES -> throw new PermanentFailure("400 from the provider");
                    case THROTTLES -> throw new TemporaryFailure("429 from the provider", Duration.ofSeconds(1));
                }
            };
            Outcome outcome = DB.transaction(() -> {
                Outcome result = delivery.deliver(channel, message.received(), sender);
                if (fault == Fault.CRASH || result instanceof Outcome.Retry) {
                    DB.setRollbackOnly();
                }
                return result;
            });
            provider.addAll(called);
            String what = channel.wireName() + " " + describe(message) + ": " + (calledAtAll[0] ? "provider " + answer : "provider not called")
                    + ", " + outcome.getClass().getSimpleName();
            if (fault == Fault.CRASH) {
                trace.add(what + ", but the worker crashed before its commit: redelivered");
                called.forEach(sent -> resendsAllowed.merge(sent.notificationId(), 1, Integer::sum));
                group.addLast(message.redelivered());
                return;
            }
            trace.add(what);
            if (outcome instanceof Outcome.Retry) {
                group.addLast(message.redelivered());
            } else if (outcome instanceof Outcome.Later later) {
                group.addLast(new Message(message.notificationId(), userId, 1, later.attemptsUsed(), later.deferrals()));
            }
            // the message is acknowledged after the commit, which a dead-lettered one's move and a
            // later one's copy are part of: a lost acknowledgement delivers the original again
            if (!(outcome instanceof Outcome.Retry) && fault == Fault.DUPLICATE) {
                trace.add("  and delivered again");
                group.addLast(message.redelivered());
            }
        }

        /** As StalledWorkSweep, with nothing too recent for it. */
        void sweep() {
            List<String> swept = new ArrayList<>();
            DB.transaction(() -> {
                for (Released released : stores.notifications.redispatchStalled(Duration.ZERO, 500)) {
                    swept.add(released.notificationId().toString().substring(0, 8));
                    enqueue(released.channel(), new Message(released.notificationId(), released.userId(), 1, 0, 0));
                }
                for (EventRecord stalled : stores.events.takeStalled(Duration.ZERO, 500)) {
                    swept.add(stalled.getEventId());
                    PublishedEvent event = new PublishedEvent(stalled.getEventId(), stalled.getEventType(), stalled.getUserId(),
                            stalled.getOccurredAt(), dev.notify.domain.WireJson.readObject(stalled.getPayload()), null);
                    DB.afterCommit(() -> router.computeIfAbsent(event.userId(), u -> new ArrayDeque<>()).addLast(new EventMessage(event, 1)));
                }
            });
            trace.add("swept: " + swept);
        }

        /** Every queue delivered until empty with the provider sending and no faults, and the sweep run, until nothing is left. */
        void drain() {
            trace.add("-- drain");
            for (int round = 0; round < 20; round++) {
                boolean moved = true;
                while (moved) {
                    moved = false;
                    for (String userId : List.copyOf(router.keySet())) {
                        if (!router.get(userId).isEmpty()) {
                            route(userId);
                            checkInvariants("in the drain");
                            moved = true;
                        }
                    }
                    for (Channel channel : Channel.values()) {
                        for (String userId : List.copyOf(queues.get(channel).keySet())) {
                            if (!group(channel, userId).isEmpty()) {
                                deliver(channel, userId, Provider.SENDS, Fault.NONE);
                                checkInvariants("in the drain");
                                moved = true;
                            }
                        }
                    }
                }
                sweep();
                checkInvariants("after the drain's sweep");
                if (queued() == 0) {
                    if (DB.query("SELECT 1 FROM notification WHERE status IN ('pending', 'held')").isEmpty()) {
                        return;
                    }
                    // a deferred one whose message was lost is swept once it is due: time passes
                    DB.update("UPDATE notification SET dispatched_at = now() - interval '1 second' WHERE dispatched_at > now()");
                }
            }
            throw new AssertionError("the queues did not drain\n" + trace());
        }

        int queued() {
            return queues.values().stream().flatMap(groups -> groups.values().stream()).mapToInt(Deque::size).sum()
                    + router.values().stream().mapToInt(Deque::size).sum();
        }

        // ---- the invariants

        void checkInvariants(String when) {
            List<Map<String, Object>> rows = DB.query("SELECT notification_id, channel, user_id, status FROM notification");
            Map<UUID, NotificationStatus> now = statuses(rows);
            now.forEach((id, status) -> {
                NotificationStatus before = statuses.get(id);
                if (before == null ? !NotificationStatus.INSERTED.contains(status) : before != status && !before.mayBecome(status)) {
                    fail(when, "notification " + id + " went from " + before + " to " + status);
                }
                if (before != NotificationStatus.HELD && status == NotificationStatus.HELD) {
                    holds++;
                }
                if (before == NotificationStatus.HELD && status == NotificationStatus.PENDING) {
                    releases++;
                }
            });
            statuses = now;
            checkOrder(when);
            checkSentOnce(when);
            List<Map<String, Object>> orphans = DB.query("""
                    SELECT n.notification_id FROM notification n JOIN event ne ON ne.event_id = n.event_id
                    WHERE n.status = 'held'
                      AND NOT EXISTS (SELECT 1 FROM notification p WHERE p.user_id = n.user_id AND p.channel = n.channel
                                      AND p.event_seq < n.event_seq AND p.status IN ('pending', 'held'))
                      AND NOT EXISTS (SELECT 1 FROM event e WHERE e.user_id = n.user_id AND e.status = 'accepted' AND e.seq < n.event_seq
                                      AND (e.seq <= ne.after_seq OR EXISTS (SELECT 1 FROM delivery_failure f
                                                                            WHERE f.event_id = e.event_id AND f.consumer = 'router')))""");
            if (!orphans.isEmpty()) {
                fail(when, "held with nothing holding them back: " + orphans);
            }
            for (Map<String, Object> row : rows) {
                UUID id = (UUID) row.get("notification_id");
                Channel channel = Channel.fromWireName((String) row.get("channel")).orElseThrow();
                if (now.get(id) == NotificationStatus.PENDING && !lost.contains(id)
                        && group(channel, (String) row.get("user_id")).stream().noneMatch(m -> m.notificationId().equals(id))) {
                    fail(when, "pending with no message on its way: " + id);
                }
                if (now.get(id) == NotificationStatus.SENT && provider.stream().noneMatch(call -> call.notificationId().equals(id))) {
                    fail(when, "sent, but its provider never took it: " + id);
                }
            }
            for (Map<String, Object> accepted : DB.query("SELECT event_id, user_id FROM event WHERE status = 'accepted'")) {
                if (router.getOrDefault((String) accepted.get("user_id"), new ArrayDeque<>()).stream()
                        .noneMatch(m -> m.event().eventId().equals(accepted.get("event_id")))) {
                    fail(when, "accepted with no message for the router: " + accepted.get("event_id"));
                }
            }
        }

        /**
         * Per user and channel, the first call that reached the provider for each notification, in
         * seq order. Nothing given up on is done after all, as no operator sends anything back here:
         * no dead-lettered notification is sent, and no event the router gave up on is routed.
         */
        void checkOrder(String when) {
            provider.stream().filter(Sent::deadLettered).findFirst()
                    .ifPresent(sent -> fail(when, "dead-lettered notification " + sent.notificationId() + " sent by a stale message"));
            routedAfterGivenUp.stream().findFirst()
                    .ifPresent(eventId -> fail(when, "event " + eventId + " routed by a stale message after the router gave up on it"));
            Map<String, List<Sent>> firsts = provider.stream()
                    .collect(Collectors.groupingBy(Sent::notificationId, LinkedHashMap::new, Collectors.toList()))
                    .values().stream().map(calls -> calls.get(0))
                    .sorted((a, b) -> Integer.compare(provider.indexOf(a), provider.indexOf(b)))
                    .collect(Collectors.groupingBy(sent -> sent.userId() + " " + sent.channel().wireName(), LinkedHashMap::new,
                            Collectors.toList()));
            firsts.forEach((userAndChannel, sent) -> {
                for (int i = 1; i < sent.size(); i++) {
                    if (sent.get(i).eventSeq() < sent.get(i - 1).eventSeq()) {
                        fail(when, userAndChannel + ": seq " + sent.get(i).eventSeq() + " reached the provider after seq "
                                + sent.get(i - 1).eventSeq() + " (" + sent.stream().map(Sent::eventSeq).toList() + ")");
                    }
                }
            });
        }

        void checkSentOnce(String when) {
            provider.stream().collect(Collectors.groupingBy(Sent::notificationId, Collectors.counting())).forEach((id, calls) -> {
                if (calls > 1 + resendsAllowed.getOrDefault(id, 0)) {
                    fail(when, "notification " + id + " reached the provider " + calls + " times");
                }
            });
        }

        /** What the tries reached, in jqwik's report: a property that passes only because nothing was ever held says little. */
        void collectStatistics() {
            Statistics.label("held").collect(holds == 0 ? "none" : holds < 3 ? "1 or 2" : "3 or more");
            Statistics.label("released").collect(releases == 0 ? "none" : "some");
            Statistics.label("the sweep sent again").collect(trace.stream().anyMatch(line -> line.startsWith("swept: [") && !line.equals("swept: []"))
                    ? "some" : "none");
            Statistics.label("dead-lettered").collect(trace.stream().anyMatch(line -> line.contains("DeadLetter")) ? "some" : "none");
            Statistics.label("deferred").collect(trace.stream().anyMatch(line -> line.contains("Later")) ? "some" : "none");
            Statistics.label("sent after a crash").collect(resendsAllowed.isEmpty() ? "none" : "some");
            Statistics.label("router failed").collect(trace.stream().anyMatch(line -> line.startsWith("router")) ? "some" : "none");
            Statistics.label("notifications sent").collect(provider.size() < 3 ? "fewer than 3" : provider.size() < 8 ? "3 to 7" : "8 or more");
        }

        void checkNothingLeft() {
            List<Map<String, Object>> left = DB.query("SELECT notification_id, status FROM notification WHERE status IN ('pending', 'held')");
            if (!left.isEmpty()) {
                fail("at the end", "left unsettled: " + left);
            }
            List<Map<String, Object>> unrouted = DB.query("SELECT event_id FROM event WHERE status = 'accepted'");
            if (!unrouted.isEmpty()) {
                fail("at the end", "left unrouted: " + unrouted);
            }
        }

        static Map<UUID, NotificationStatus> statuses(List<Map<String, Object>> rows) {
            Map<UUID, NotificationStatus> statuses = new HashMap<>();
            rows.forEach(row -> statuses.put((UUID) row.get("notification_id"), NotificationStatus.fromWireName((String) row.get("status"))));
            return statuses;
        }

        String describe(Message message) {
            List<Map<String, Object>> row = DB.query("SELECT event_id, event_seq FROM notification WHERE notification_id = ?",
                    message.notificationId());
            return message.notificationId().toString().substring(0, 8) + " (" + message.userId() + ", "
                    + (row.isEmpty() ? "?" : row.get(0).get("event_id") + " seq " + row.get(0).get("event_seq"))
                    + ", attempt " + message.attempt() + (message.deferrals() > 0 ? ", deferred " + message.deferrals() : "") + ")";
        }

        String trace() {
            return String.join("\n  ", trace);
        }

        void fail(String when, String what) {
            throw new AssertionError(when + ": " + what + "\n  " + trace());
        }
    }


    /** CDI events nobody observes here (the metrics count them after the commit). */
    @SuppressWarnings("unchecked")
    private static <T> Event<T> ignoredEvents() {
        Consumer<Object> ignore = event -> {
        };
        return (Event<T>) Proxy.newProxyInstance(Event.class.getClassLoader(), new Class<?>[] {Event.class}, (proxy, method, args) -> {
            if (method.getName().equals("fire")) {
                ignore.accept(args[0]);
                return null;
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }
}
