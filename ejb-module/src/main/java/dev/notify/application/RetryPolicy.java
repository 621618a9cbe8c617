package dev.notify.application;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How many times a message is tried before it is dead-lettered. The broker redelivers with its
 * back-off; on the last attempt the consumer dead-letters the message itself, with the reason, so
 * it must know the broker's max-delivery-attempts for notification.# (the same setting, see README,
 * "Configuration"). Should the two differ, the broker still dead-letters at its own limit.
 */
@ApplicationScoped
public class RetryPolicy {

    @Inject
    @ConfigProperty(name = "notify.delivery.max-attempts", defaultValue = "5")
    int maxAttempts;

    /**
     * How long a user's dead-lettered notification on a channel makes the channel count as failing
     * for them: their next notifications get one attempt each meanwhile, so that one user's outage
     * does not hold their queue for attempts times back-off per message. Afterwards each gets every
     * attempt again: an outage weeks ago says nothing about today.
     */
    @Inject
    @ConfigProperty(name = "notify.delivery.channel-failing-for", defaultValue = "PT1H")
    Duration channelFailingFor;

    /**
     * A provider that asks to be called later (Retry-After on a 429 or 408) is, without using an
     * attempt, up to this many times per notification and at most MAX_DEFERRAL each: a provider
     * that throttles for good still ends in the dead-letter queue, after its ordinary attempts.
     */
    static final int MAX_DEFERRALS = 20;
    static final Duration MAX_DEFERRAL = Duration.ofMinutes(10);
    /**
     * How long a notification's message that came before its row waits, on its last attempt, while
     * its event is unrouted in the database: about a recovery pass of the transaction manager
     * (Payara's every 30 s here, WildFly's every 2 minutes), up to MAX_DEFERRALS times.
     */
    static final Duration ROUTING_IN_DOUBT_WAIT = Duration.ofSeconds(30);
    /** Never sooner: a Retry-After of 0 would make a busy loop of a throttled provider. */
    static final Duration MIN_DEFERRAL = Duration.ofSeconds(1);

    /** How long to wait before calling the provider again as it asked, if it may be asked once more. */
    public Optional<Duration> deferral(int deferralsSoFar, Optional<Duration> retryAfter) {
        if (deferralsSoFar >= MAX_DEFERRALS) {
            return Optional.empty();
        }
        return retryAfter.map(asked -> asked.compareTo(MIN_DEFERRAL) < 0 ? MIN_DEFERRAL
                : asked.compareTo(MAX_DEFERRAL) > 0 ? MAX_DEFERRAL : asked);
    }

    public boolean isLast(int attempt) {
        return attempt >= maxAttempts;
    }

    /** A dead letter since then still says that the channel fails for its user. */
    public OffsetDateTime channelFailingSince() {
        return OffsetDateTime.now().minus(channelFailingFor);
    }
}
