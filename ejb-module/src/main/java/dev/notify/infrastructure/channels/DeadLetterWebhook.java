package dev.notify.infrastructure.channels;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.notify.domain.WireJson;
import dev.notify.infrastructure.messaging.DeadLettered;
import dev.notify.infrastructure.messaging.Failures;

/**
 * Tells an on-call tool (NOTIFY_DEAD_LETTER_WEBHOOK: Slack, PagerDuty, Alertmanager, ...) about
 * each newly dead-lettered message: a JSON POST once its move has committed, sent asynchronously
 * on the server's managed executor, off the consumer's thread. A webhook that is down costs a log
 * line, never a message.
 */
@ApplicationScoped
public class DeadLetterWebhook {

    private static final Logger LOG = Logger.getLogger(DeadLetterWebhook.class.getName());

    @Inject
    @ConfigProperty(name = "notify.dead-letter.webhook")
    Optional<String> webhook;

    @Resource
    ManagedExecutorService executor;

    private HttpClient http;

    @PostConstruct
    void client() {
        http = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(2)).build();
    }

    /**
     * Created when the application starts, in its context. Created later, by the first dead letter,
     * it would be on a resource adapter's thread after the transaction, where Payara Server (once
     * the application has been redeployed) cannot inject the executor.
     */
    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        // observing the start is what creates the bean
    }

    void call(@Observes(during = TransactionPhase.AFTER_SUCCESS) DeadLettered deadLettered) {
        webhook.filter(url -> !url.isBlank()).ifPresent(url -> http.sendAsync(
                        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(WireJson.write(deadLettered))).build(),
                        HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, failure) -> {
                    if (failure != null) {
                        LOG.warning(() -> "The dead-letter webhook " + url + " could not be called: " + Failures.describe(failure));
                    } else if (response.statusCode() / 100 != 2) {
                        LOG.warning(() -> "The dead-letter webhook " + url + " answered " + response.statusCode());
                    }
                }));
    }
}
