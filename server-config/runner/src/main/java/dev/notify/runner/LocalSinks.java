package dev.notify.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * Where notifications end up locally: an SMTP server (GreenMail) and an HTTP server that plays the
 * SMS and push providers. Both record what arrives and when, which {@code GET /sms}, {@code GET /push}
 * and {@code GET /mail} list as JSON and {@code DELETE} on the same paths forgets (a long load would
 * otherwise fill the memory). The providers can be told to fail, to try retries by hand:
 * {@code POST /sms/failures?status=503&times=3} answers the next 3 requests with 503 ({@code &seconds=60}:
 * every request for 60 s);
 * {@code status=400} refuses them; {@code status=timeout} answers after 10 s.
 */
public final class LocalSinks implements AutoCloseable {

    /** A request a provider received. */
    public record ProviderRequest(String idempotencyKey, String body, Instant receivedAt) {
    }

    /** A provider's failure switch: for a number of requests, or until a time. */
    private record Failure(String status, AtomicInteger remaining, Instant until) {
        boolean applies() {
            return until != null ? Instant.now().isBefore(until) : remaining.getAndDecrement() > 0;
        }
    }

    /** The HTTP endpoints: the SMS and push providers, and the dead-letter webhook. */
    private static final List<String> PROVIDERS = List.of("sms", "push", "webhook");

    private final GreenMail smtp;
    private final HttpServer http;
    private final Map<String, List<ProviderRequest>> received = new ConcurrentHashMap<>();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();

    private LocalSinks(GreenMail smtp, HttpServer http) {
        this.smtp = smtp;
        this.http = http;
        PROVIDERS.forEach(provider -> received.put(provider, Collections.synchronizedList(new ArrayList<>())));
    }

    /**
     * The sinks on their own, as the compose file's sinks container runs them: on the run command's
     * ports (NOTIFY_SMTP_PORT, NOTIFY_SINK_PORT) and the address given as the argument.
     */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromEnvironment();
        String address = args.length > 0 ? args[0] : "127.0.0.1";
        start(address, settings.smtpPort(), settings.sinkPort());
        System.out.println("[notify] Sinks listening on " + address + ": SMTP " + settings.smtpPort()
                + ", providers and webhook " + settings.sinkPort());
        Thread.currentThread().join();
    }

    public static LocalSinks start(int smtpPort, int httpPort) throws IOException {
        return start("127.0.0.1", smtpPort, httpPort);
    }

    private static LocalSinks start(String address, int smtpPort, int httpPort) throws IOException {
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, address, ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        HttpServer http = HttpServer.create(new InetSocketAddress(address, httpPort), 0);
        http.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        LocalSinks sinks = new LocalSinks(smtp, http);
        for (String provider : PROVIDERS) {
            http.createContext("/" + provider, exchange -> sinks.handleProvider(provider, exchange));
        }
        http.createContext("/mail", sinks::handleMail);
        http.start();
        return sinks;
    }

    /** What the provider ("sms", "push") received, in arrival order. */
    public List<ProviderRequest> received(String provider) {
        List<ProviderRequest> requests = received.get(provider);
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The mails the SMTP server received, in arrival order. */
    public List<MimeMessage> mails() {
        return List.of(smtp.getReceivedMessages());
    }

    /** The provider answers its next {@code times} requests with {@code status} (a code, or "timeout"). */
    public void failNext(String provider, String status, int times) {
        failures.put(provider, new Failure(status, new AtomicInteger(times), null));
    }

    /** The provider answers every request with {@code status} for that long. */
    public void failFor(String provider, String status, Duration duration) {
        failures.put(provider, new Failure(status, null, Instant.now().plus(duration)));
    }

    private void handleProvider(String provider, HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        try (exchange) {
            if (uri.getPath().endsWith("/failures") && "POST".equals(exchange.getRequestMethod())) {
                Map<String, String> query = query(uri);
                String status = query.getOrDefault("status", "503");
                if (query.containsKey("seconds")) {
                    failFor(provider, status, Duration.ofSeconds(Long.parseLong(query.get("seconds"))));
                } else {
                    failNext(provider, status, Integer.parseInt(query.getOrDefault("times", "1")));
                }
                respond(exchange, 204, "");
            } else if ("GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 200, toJson(received(provider)));
            } else if ("DELETE".equals(exchange.getRequestMethod())) {
                received.get(provider).clear();
                respond(exchange, 204, "");
            } else {
                receive(provider, exchange);
            }
        }
    }

    private void receive(String provider, HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Failure failure = failures.get(provider);
        if (failure != null && failure.applies()) {
            if ("timeout".equals(failure.status())) {
                sleep(10);
                respond(exchange, 504, "{\"error\": \"too late\"}");
            } else {
                int status = Integer.parseInt(failure.status());
                respond(exchange, status, "{\"error\": \"told to answer " + status + "\"}");
            }
            return;
        }
        received.get(provider).add(new ProviderRequest(exchange.getRequestHeaders().getFirst("Idempotency-Key"), body, Instant.now()));
        respond(exchange, 202, "{\"accepted\": true}");
    }

    private void handleMail(HttpExchange exchange) throws IOException {
        try (exchange) {
            if ("DELETE".equals(exchange.getRequestMethod())) {
                try {
                    smtp.purgeEmailFromAllMailboxes();
                } catch (FolderException e) {
                    throw new IOException(e);
                }
                respond(exchange, 204, "");
                return;
            }
            List<String> mails = new ArrayList<>();
            for (StoredMessage stored : smtp.getManagers().getImapHostManager().getAllMessages()) {
                MimeMessage mail = stored.getMimeMessage();
                try {
                    mails.add("{\"message_id\": " + quote(mail.getMessageID()) + ", \"to\": "
                            + quote(String.join(", ", GreenMailUtil.getAddressList(mail.getAllRecipients())))
                            + ", \"subject\": " + quote(mail.getSubject()) + ", \"body\": " + quote(String.valueOf(mail.getContent()))
                            + ", \"received_at\": " + quote(stored.getReceivedDate().toInstant().toString()) + "}");
                } catch (MessagingException | IOException e) {
                    mails.add("{\"error\": " + quote(e.getMessage()) + "}");
                }
            }
            respond(exchange, 200, "[" + String.join(",\n", mails) + "]");
        }
    }

    private static String toJson(List<ProviderRequest> requests) {
        List<String> items = new ArrayList<>();
        requests.forEach(request -> items.add("{\"idempotency_key\": " + quote(request.idempotencyKey())
                + ", \"body\": " + request.body() + ", \"received_at\": " + quote(request.receivedAt().toString()) + "}"));
        return "[" + String.join(",\n", items) + "]";
    }

    private static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new ConcurrentHashMap<>();
        if (uri.getQuery() != null) {
            for (String pair : uri.getQuery().split("&")) {
                String[] parts = pair.split("=", 2);
                parameters.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
        }
        return parameters;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static void sleep(int seconds) {
        try {
            TimeUnit.SECONDS.sleep(seconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        http.stop(0);
        smtp.stop();
    }
}
