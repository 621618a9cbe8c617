package dev.notify.infrastructure.monitoring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logging.MDC;

/**
 * The log lines that follow one event from publishing to every channel and to its dead letter,
 * each with the event's identifiers as fields of its JSON line: {@code event_id}, {@code user_id},
 * {@code notification_id}, {@code trace_id}, {@code channel}. An inbound adapter (the REST
 * resource, a message-driven bean) opens a {@link Scope} with what its request or message names;
 * every line logged through here until it closes carries those fields.
 *
 * <p>Each server writes them with its own JSON formatter (server-config turns it on): Payara's
 * JSONLogFormatter adds the entries of a log record's Map parameter as fields of the line, and
 * WildFly's json-formatter writes the MDC as its {@code mdc} object. The lines go through
 * java.util.logging, as the rest of the application's.
 */
public final class EventLog {

    public static final String EVENT_ID = "event_id";
    public static final String USER_ID = "user_id";
    public static final String NOTIFICATION_ID = "notification_id";
    public static final String TRACE_ID = "trace_id";
    public static final String CHANNEL = "channel";

    private static final ThreadLocal<Map<String, String>> FIELDS = ThreadLocal.withInitial(LinkedHashMap::new);

    private EventLog() {
    }

    /** The fields of a scope; a null value leaves its name out. */
    public static Scope scope(String... namesAndValues) {
        Map<String, String> previous = new LinkedHashMap<>(FIELDS.get());
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                FIELDS.get().put(namesAndValues[i], namesAndValues[i + 1]);
                MDC.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return () -> {
            FIELDS.get().keySet().stream().filter(name -> !previous.containsKey(name)).forEach(MDC::remove);
            previous.forEach(MDC::put);
            FIELDS.set(previous);
        };
    }

    /** A line with the scope's fields, and these for this line only (names and values, as in {@link #scope}). */
    public static void log(Logger logger, Level level, String message, String... namesAndValues) {
        if (!logger.isLoggable(level)) {
            return;
        }
        try (Scope line = scope(namesAndValues)) {
            // the text as a parameter: a message with parameters is a MessageFormat pattern to WildFly,
            // and a provider's answer in the text ({"error": ...}) would not parse as one
            LogRecord record = new LogRecord(level, "{0}");
            record.setLoggerName(logger.getName());
            record.setParameters(new Object[] {message, Map.copyOf(FIELDS.get())});
            logger.log(record);
        }
    }

    /** Ends a scope: its fields are gone from the thread's later lines. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
