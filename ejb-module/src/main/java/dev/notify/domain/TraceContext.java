package dev.notify.domain;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * W3C Trace Context's {@code traceparent} header (https://www.w3.org/TR/trace-context/): the trace
 * an event was published in, when its metadata names none.
 */
public final class TraceContext {

    public static final String TRACEPARENT = "traceparent";

    /** version-trace_id-parent_id-flags, lower-case hex; later versions may add fields after a dash. */
    private static final Pattern HEADER = Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");

    private TraceContext() {
    }

    /** The trace id of a valid header; nothing for none, or for one the specification says to ignore. */
    public static Optional<String> traceIdOf(String traceparent) {
        if (traceparent == null) {
            return Optional.empty();
        }
        Matcher header = HEADER.matcher(traceparent.strip());
        if (!header.matches()
                || header.group(1).equals("ff")
                || (header.group(1).equals("00") && header.group(5) != null)
                || header.group(2).chars().allMatch(digit -> digit == '0')
                || header.group(3).chars().allMatch(digit -> digit == '0')) {
            return Optional.empty();
        }
        return Optional.of(header.group(2));
    }
}
