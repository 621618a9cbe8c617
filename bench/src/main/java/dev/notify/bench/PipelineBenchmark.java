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
 * Publishes events to a running notification service (server-config/run.sh start) and reports:
 * how fast the API accepts them, and how fast they are processed end to end (REST, JTA commit of
 * the record and the message, topic, router's XA transaction). Settings are system properties:
 * bench.url, bench.events, bench.users, bench.concurrency, bench.batch (events per request, 1 =
 * single POSTs), and the database's bench.db.url / bench.db.user / bench.db.password.
 */
public final class PipelineBenchmark {

    private static final String URL = System.getProperty("bench.url", "http://127.0.0.1:8080/api/v1");
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
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        try (Connection db = DriverManager.getConnection(DB_URL, DB_USER, DB_PASSWORD)) {
            while ((processed = processed(db, run)) < EVENTS && Instant.now().isBefore(deadline)) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        Duration endToEnd = Duration.between(start, Instant.now());

        System.out.printf("Accepted:    %d events in %.1f s = %.0f events/s over REST (%d requests failed)%n",
                EVENTS, seconds(publishing), EVENTS / seconds(publishing), failed.get());
        System.out.printf("Processed:   %d of %d events in %.1f s from the first request = %.0f events/s end to end%n",
                processed, EVENTS, seconds(endToEnd), processed / seconds(endToEnd));
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
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(batch ? "{\"events\": [" + events + "]}" : events.toString()))
                .build();
    }

    private static long processed(Connection db, String run) throws Exception {
        try (PreparedStatement query = db.prepareStatement(
                "SELECT count(*) FROM event WHERE event_id LIKE ? AND status = 'processed'")) {
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
