package dev.notify.application;

import static dev.notify.domain.JsonApi.JSON;

import java.io.StringReader;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;

import dev.notify.domain.Channel;
import dev.notify.domain.EventType;
import dev.notify.domain.Preferences;
import dev.notify.domain.PublishedEvent;
import dev.notify.infrastructure.messaging.Messaging;
import dev.notify.infrastructure.messaging.NotificationDispatcher;
import dev.notify.infrastructure.monitoring.EventLog;
import dev.notify.infrastructure.persistence.EventStore;
import dev.notify.infrastructure.persistence.NotificationStore;
import dev.notify.infrastructure.persistence.RecipientDirectory;
import dev.notify.infrastructure.templates.NotificationTemplates;
import dev.notify.persistence.RecipientRecord;

/**
 * Routes an event to its notifications, in the router's transaction (with the message's
 * acknowledgement and its dedup row): the event's processed state, and one notification per
 * channel the user enabled, each rendered, recorded and sent to its channel's queue.
 */
@ApplicationScoped
public class EventRouting {

    private static final Logger LOG = Logger.getLogger(EventRouting.class.getName());

    @Inject
    EventStore store;

    @Inject
    Event<EventRecorded> recorded;

    @Inject
    RecipientDirectory directory;

    @Inject
    NotificationTemplates templates;

    @Inject
    NotificationStore notifications;

    @Inject
    NotificationDispatcher dispatcher;

    /** Routes the event: its processed state, and its notifications, each sent to its channel's queue. */
    public void route(PublishedEvent event, int attempt) {
        long eventSeq = store.recordProcessed(event);
        notifyOnEnabledChannels(event, eventSeq);
        releaseHeldAfter(event, eventSeq);
        recorded.fire(new EventRecorded(Messaging.ROUTER_SUBSCRIPTION, event, attempt));
    }

    /**
     * Given up on: the event no longer holds back the user's later notifications, which may go now.
     * It is claimed, so that a stale copy of its message (the stalled-work sweep's, sent while this
     * one waited out its back-off) does not route it after them; only its dead letter, sent back by
     * an operator, does.
     */
    public void givenUp(PublishedEvent event) {
        store.claim(Messaging.ROUTER_SUBSCRIPTION, event.eventId());
        store.markDeadLettered(event.eventId()).ifPresent(eventSeq -> releaseHeldAfter(event, eventSeq));
    }

    /**
     * The user's notifications held back while this event waited for the router (a later event
     * routed first, while this one was retried) may go now. Finds none in the usual order.
     */
    private void releaseHeldAfter(PublishedEvent event, long eventSeq) {
        notifications.releaseAfter(event.userId(), eventSeq).forEach(dispatcher::dispatch);
    }

    /**
     * One notification per channel the user enabled for the event's type: rendered and handed to
     * the channel's queue, or failed with the reason when it cannot be sent at all. A channel the
     * event has a notification on already (a replayed event) gets none: replays never repeat one.
     */
    private void notifyOnEnabledChannels(PublishedEvent event, long eventSeq) {
        EventType type = EventType.fromWireName(event.eventType()).orElseThrow();
        Optional<RecipientRecord> recipient = directory.find(event.userId());
        Preferences preferences = recipient.isPresent() ? directory.preferences(event.userId()) : Preferences.none();
        for (Channel channel : preferences.channelsFor(type)) {
            if (recipient.isEmpty()) {
                notifications.recordFailed(event, eventSeq, channel, "no recipient with user_id '" + event.userId() + "'");
                continue;
            }
            Optional<JsonValue> address = address(recipient.get(), channel);
            if (address.isEmpty()) {
                notifications.recordFailed(event, eventSeq, channel, "the recipient has no " + ADDRESS_NAMES.get(channel));
                continue;
            }
            Map<String, String> content = templates.render(event, channel, Locale.forLanguageTag(recipient.get().getLocale()));
            notifications.recordPending(event, eventSeq, channel, address.get(), content).ifPresent(notificationId -> {
                dispatcher.dispatch(channel, notificationId, event);
                EventLog.log(LOG, Level.INFO, "Routed to " + channel.wireName(),
                        EventLog.NOTIFICATION_ID, notificationId.toString(), EventLog.CHANNEL, channel.wireName());
            });
        }
    }

    private static final Map<Channel, String> ADDRESS_NAMES = Map.of(
            Channel.EMAIL, "email address", Channel.SMS, "phone number", Channel.PUSH, "push token");

    private static Optional<JsonValue> address(RecipientRecord recipient, Channel channel) {
        return switch (channel) {
            case EMAIL -> Optional.ofNullable(recipient.getEmail()).map(JSON::createValue);
            case SMS -> Optional.ofNullable(recipient.getPhone()).map(JSON::createValue);
            case PUSH -> Optional.of((JsonValue) JSON.createReader(new StringReader(recipient.getPushTokens())).readArray())
                    .filter(tokens -> !tokens.asJsonArray().isEmpty());
        };
    }
}
