package dev.notify.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
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
 * {@code status=400} refuses them; {@code status=timeout} answers after 10 s; {@code &retry_after=5} adds a
 * {@code Retry-After: 5} header to the failure's answer (a throttling provider's 429);
 * {@code status=slow&delay=2} takes every request but answers it (202) only after 2 s. {@code GET ...?keys} lists only
 * the idempotency keys (the mails' Message-IDs), one per receipt.
 * <p>
 * Given a folder (the run command's data folder), the sinks keep what they received there, a file
 * per sink appended as each request or mail arrives, and read it again when they start: a restart
 * of the sinks (the host's, say) forgets nothing. {@code DELETE} forgets, and empties the file.
 */
public final class LocalSinks implements AutoCloseable {

    /** A request a provider received. */
    public record ProviderRequest(String idempotencyKey, String body, Instant receivedAt) {
    }

    /**
     * A provider's failure switch: for a number of requests, or until a time. {@code retryAfter}
     * (seconds, or null) goes with a failure's answer; {@code delaySeconds} is how long "slow" waits.
     */
    private record Failure(String status, AtomicInteger remaining, Instant until, String retryAfter, int delaySeconds) {
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
    /** The mails as GET /mail lists them, a JSON object each, in arrival order. */
    private final List<String> mails = Collections.synchronizedList(new ArrayList<>());
    /** Each mail's Message-ID, in the same order. */
    private final List<String> mailIds = Collections.synchronizedList(new ArrayList<>());
    /** Where each sink's file is kept, or null: in memory only. */
    private final Path folder;

    private LocalSinks(GreenMail smtp, HttpServer http, Path folder) throws IOException {
        this.smtp = smtp;
        this.http = http;
        this.folder = folder;
        PROVIDERS.forEach(provider -> received.put(provider, Collections.synchronizedList(new ArrayList<>())));
        if (folder != null) {
            Files.createDirectories(folder);
            for (String provider : PROVIDERS) {
                for (String line : lines(provider)) {
                    String[] fields = line.split("\t", -1);
                    received.get(provider).add(new ProviderRequest(fields[0].isEmpty() ? null : decode(fields[0]), decode(fields[1]),
                            Instant.parse(fields[2])));
                }
            }
            for (String line : lines("mail")) {
                String[] fields = line.split("\\t", -1);
                mails.add(decode(fields[0]));
                mailIds.add(fields.length > 1 ? decode(fields[1]) : "");
            }
        }
    }

    /** The sink's file's lines; a line cut short by a kill as it was written is left out. */
    private List<String> lines(String sink) throws IOException {
        Path file = folder.resolve(sink + ".received");
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n")));
        if (!text.endsWith("\n") && !lines.isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        lines.removeIf(String::isEmpty);
        return lines;
    }

    /** Appends a line to the sink's file, before the sender is answered; nothing without a folder. */
    private void keep(String sink, String line) {
        if (folder == null) {
            return;
        }
        synchronized (this) {
            try {
                Files.writeString(folder.resolve(sink + ".received"), line + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Empties the sink's file. */
    private void forget(String sink) throws IOException {
        if (folder != null) {
            synchronized (this) {
                Files.deleteIfExists(folder.resolve(sink + ".received"));
            }
        }
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String text) {
        return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
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
        return start("127.0.0.1", smtpPort, httpPort, null);
    }

    /** The sinks, keeping what they receive in {@code folder} across their restarts. */
    public static LocalSinks start(int smtpPort, int httpPort, Path folder) throws IOException {
        return start("127.0.0.1", smtpPort, httpPort, folder);
    }

    private static LocalSinks start(String address, int smtpPort, int httpPort) throws IOException {
        return start(address, smtpPort, httpPort, null);
    }

    private static LocalSinks start(String address, int smtpPort, int httpPort, Path folder) throws IOException {
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, address, ServerSetup.PROTOCOL_SMTP));
        HttpServer http = HttpServer.create(new InetSocketAddress(address, httpPort), 0);
        // a slow provider holds a thread per request for its delay: enough for every worker of both providers
        http.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(32));
        LocalSinks sinks = new LocalSinks(smtp, http, folder);
        UserManager users = smtp.getUserManager();
        MessageDeliveryHandler delivery = users.getMessageDeliveryHandler();
        users.setMessageDeliveryHandler((message, recipient) -> {
            GreenMailUser user = delivery.handle(message, recipient);
            sinks.mailArrived(message.getMessage(), recipient.getEmail());
            return user;
        });
        smtp.start();
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
        failures.put(provider, new Failure(status, new AtomicInteger(times), null, null, 0));
    }

    /** The provider answers every request with {@code status} for that long. */
    public void failFor(String provider, String status, Duration duration) {
        failFor(provider, status, duration, null, 0);
    }

    /**
     * The provider answers every request with {@code status} for that long, with a Retry-After
     * header of {@code retryAfter} (null: none); "slow" takes each request after {@code delaySeconds}.
     */
    public void failFor(String provider, String status, Duration duration, String retryAfter, int delaySeconds) {
        failures.put(provider, new Failure(status, null, Instant.now().plus(duration), retryAfter, delaySeconds));
    }

    /** Records a mail as the SMTP server takes it, one per recipient as it is stored. */
    private void mailArrived(MimeMessage mail, String recipient) {
        String item;
        try {
            item = "{\"message_id\": " + quote(mail.getMessageID()) + ", \"to\": " + quote(recipient)
                    + ", \"subject\": " + quote(mail.getSubject()) + ", \"body\": " + quote(String.valueOf(mail.getContent()))
                    + ", \"received_at\": " + quote(Instant.now().toString()) + "}";
        } catch (MessagingException | IOException e) {
            item = "{\"error\": " + quote(e.getMessage()) + "}";
        }
        String messageId;
        try {
            messageId = String.valueOf(mail.getMessageID());
        } catch (MessagingException e) {
            messageId = "";
        }
        synchronized (mails) {
            keep("mail", encode(item) + "\t" + encode(messageId));
            mails.add(item);
            mailIds.add(messageId);
        }
    }

    private void handleProvider(String provider, HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        try (exchange) {
            if (uri.getPath().endsWith("/failures") && "POST".equals(exchange.getRequestMethod())) {
                Map<String, String> query = query(uri);
                String status = query.getOrDefault("status", "503");
                if (!status.equals("timeout") && !status.equals("slow") && !status.matches("[1-5]\\d\\d")) {
                    respond(exchange, 400, "{\"error\": \"status is a code, timeout or slow\"}");
                    return;
                }
                if (query.containsKey("seconds")) {
                    failFor(provider, status, Duration.ofSeconds(Long.parseLong(query.get("seconds"))), query.get("retry_after"),
                            Integer.parseInt(query.getOrDefault("delay", "2")));
                } else {
                    failNext(provider, status, Integer.parseInt(query.getOrDefault("times", "1")));
                }
                respond(exchange, 204, "");
            } else if ("GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 200, query(uri).containsKey("keys")
                        ? keys(received(provider).stream().map(ProviderRequest::idempotencyKey).toList()) : toJson(received(provider)));
            } else if ("DELETE".equals(exchange.getRequestMethod())) {
                synchronized (received.get(provider)) {
                    received.get(provider).clear();
                    forget(provider);
                }
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
                return;
            } else if ("slow".equals(failure.status())) {
                sleep(failure.delaySeconds()); // then taken, whether the caller still waits or not, as a slow provider does
            } else {
                int status = Integer.parseInt(failure.status());
                if (failure.retryAfter() != null) {
                    exchange.getResponseHeaders().set("Retry-After", failure.retryAfter());
                }
                respond(exchange, status, "{\"error\": \"told to answer " + status + "\"}");
                return;
            }
        }
        ProviderRequest request = new ProviderRequest(exchange.getRequestHeaders().getFirst("Idempotency-Key"), body, Instant.now());
        List<ProviderRequest> requests = received.get(provider);
        synchronized (requests) {
            keep(provider, (request.idempotencyKey() == null ? "" : encode(request.idempotencyKey())) + "\t" + encode(body)
                    + "\t" + request.receivedAt());
            requests.add(request);
        }
        respond(exchange, 202, "{\"accepted\": true}");
    }

    private void handleMail(HttpExchange exchange) throws IOException {
        try (exchange) {
            if ("DELETE".equals(exchange.getRequestMethod())) {
                synchronized (mails) {
                    try {
                        smtp.purgeEmailFromAllMailboxes();
                    } catch (FolderException e) {
                        throw new IOException(e);
                    }
                    mails.clear();
                    mailIds.clear();
                    forget("mail");
                }
                respond(exchange, 204, "");
                return;
            }
            String listed;
            synchronized (mails) {
                listed = query(exchange.getRequestURI()).containsKey("keys") ? keys(mailIds) : "[" + String.join(",\n", mails) + "]";
            }
            respond(exchange, 200, listed);
        }
    }

    /** {@code ?keys}: only the idempotency keys (the mails' Message-IDs), one per receipt, for a cheap count. */
    private static String keys(List<String> keys) {
        List<String> items = new ArrayList<>();
        keys.forEach(key -> items.add(quote(key)));
        return "[" + String.join(",", items) + "]";
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
