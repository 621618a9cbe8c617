package dev.notify.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes events to a running notification service (server-config/run.sh start) for recipients
 * it creates, and reports how fast the API accepts them, how fast the router processes them, and
 * how fast their notifications (email and push, to the run command's local sinks) are sent. Settings are system properties:
 * bench.url, bench.events, bench.users, bench.concurrency, bench.batch (events per request, 1 =
 * single POSTs), and the database's bench.db.url / bench.db.user / bench.db.password.
 */
public final class PipelineBenchmark {

    private static final String URL = System.getProperty("bench.url", "http://127.0.0.1:8080/api/v1");
    /** The publisher's key the run command prints (its local default unless NOTIFY_PUBLISHER_API_KEY is set). */
    private static final String API_KEY = System.getProperty("bench.api-key", "local-publisher-key");
    private static final int EVENTS = Integer.getInteger("bench.events", 2000);
    private static final int USERS = Integer.getInteger("bench.users", 50);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 8);
    private static final int BATCH = Integer.getInteger("bench.batch", 1);
    private static final String DB_URL = System.getProperty("bench.db.url", "jdbc:postgresql://127.0.0.1:15432/notify");
    private static final String DB_USER = System.getProperty("bench.db.user", "notify");
    private static final String DB_PASSWORD = System.getProperty("bench.db.password", "notify");

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String run = "bench-" + System.currentTimeMillis();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        System.out.printf("Publishing %d events for %d users to %s, %d at a time, %d per request%n",
                EVENTS, USERS, URL, CONCURRENCY, BATCH);

        for (int user = 0; user < USERS; user++) {
            // order.placed goes to email and push by default: two notifications per event
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(URL + "/users/" + run + "-user-" + user))
                    .header("Content-Type", "application/json")
                    .header("X-API-Key", API_KEY)
                    .PUT(HttpRequest.BodyPublishers.ofString(String.format(
                            "{\"email\": \"user-%d@example.org\", \"push_tokens\": [\"device-%d\"]}", user, user)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("could not create a recipient: " + created.statusCode() + " " + created.body());
            }
        }

        AtomicLong failed = new AtomicLong();
        Instant start = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        List<Future<?>> requests = new ArrayList<>();
        for (int first = 0; first < EVENTS; first += BATCH) {
            int from = first;
            int to = Math.min(EVENTS, first + BATCH);
            requests.add(pool.submit(() -> {
                HttpResponse<String> response = http.send(request(run, from, to), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 != 2) {
                    failed.incrementAndGet();
                    System.err.println(response.statusCode() + " " + response.body());
                }
                return null;
            }));
        }
        for (Future<?> request : requests) {
            request.get();
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        Duration publishing = Duration.between(start, Instant.now());

        long processed;
        long delivered;
        Duration routed;
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        try (Connection db = DriverManager.getConnection(DB_URL, DB_USER, DB_PASSWORD)) {
            while ((processed = count(db, PROCESSED, run)) < EVENTS && Instant.now().isBefore(deadline)) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
            routed = Duration.between(start, Instant.now());
            while ((delivered = count(db, SENT, run)) < 2L * EVENTS && Instant.now().isBefore(deadline)) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        Duration endToEnd = Duration.between(start, Instant.now());

        System.out.printf("Accepted:    %d events in %.1f s = %.0f events/s over REST (%d requests failed)%n",
                EVENTS, seconds(publishing), EVENTS / seconds(publishing), failed.get());
        System.out.printf("Routed:      %d of %d events in %.1f s from the first request = %.0f events/s%n",
                processed, EVENTS, seconds(routed), processed / seconds(routed));
        System.out.printf("Delivered:   %d of %d notifications (email and push) in %.1f s = %.0f events/s end to end%n",
                delivered, 2L * EVENTS, seconds(endToEnd), delivered / 2.0 / seconds(endToEnd));
    }

    private static HttpRequest request(String run, int from, int to) {
        StringBuilder events = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (i > from) {
                events.append(',');
            }
            events.append(String.format("""
                    {"event_id": "%s-%d", "event_type": "order.placed", "user_id": "%s-user-%d",
                     "timestamp": "%s", "payload": {"order_id": "o-%d", "total": 42.5}}""",
                    run, i, run, i % USERS, Instant.now(), i));
        }
        boolean batch = BATCH > 1;
        return HttpRequest.newBuilder(URI.create(URL + (batch ? "/events/batch" : "/events")))
                .header("Content-Type", "application/json")
                .header("X-API-Key", API_KEY)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(batch ? "{\"events\": [" + events + "]}" : events.toString()))
                .build();
    }

    private static final String PROCESSED = "SELECT count(*) FROM event WHERE event_id LIKE ? AND status = 'processed'";
    private static final String SENT = "SELECT count(*) FROM notification WHERE event_id LIKE ? AND status = 'sent'";

    private static long count(Connection db, String sql, String run) throws Exception {
        try (PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, run + "-%");
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
