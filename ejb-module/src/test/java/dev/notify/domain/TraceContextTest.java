package dev.notify.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class TraceContextTest {

    @Test
    void theTraceIdOfAValidHeader() {
        assertEquals(Optional.of("4bf92f3577b34da6a3ce929d0e0e4736"),
                TraceContext.traceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        assertEquals(Optional.of("4bf92f3577b34da6a3ce929d0e0e4736"),
                TraceContext.traceIdOf("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-later-fields"),
                "a later version may add fields");
    }

    @Test
    void headersTheSpecificationSaysToIgnore() {
        assertEquals(Optional.empty(), TraceContext.traceIdOf(null));
        assertEquals(Optional.empty(), TraceContext.traceIdOf("00-00000000000000000000000000000000-00f067aa0ba902b7-01"), "an all-zero trace id");
        assertEquals(Optional.empty(), TraceContext.traceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"), "an all-zero parent id");
        assertEquals(Optional.empty(), TraceContext.traceIdOf("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), "version ff");
        assertEquals(Optional.empty(), TraceContext.traceIdOf("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"), "upper case");
        assertEquals(Optional.empty(), TraceContext.traceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x"), "version 00 with more fields");
        assertEquals(Optional.empty(), TraceContext.traceIdOf("not a header"));
    }
}
