package dev.notify.infrastructure.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventLogTest {

    private final Logger logger = Logger.getLogger(EventLogTest.class.getName());
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        logger.addHandler(capture);
        logger.setUseParentHandlers(false);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
    }

    @Test
    void aLineCarriesItsScopesFieldsAndItsOwnAsOneMap() {
        try (EventLog.Scope event = EventLog.scope(EventLog.EVENT_ID, "evt-1", EventLog.TRACE_ID, null);
             EventLog.Scope channel = EventLog.scope(EventLog.CHANNEL, "sms")) {
            EventLog.log(logger, Level.INFO, "sent", EventLog.NOTIFICATION_ID, "n-1");
            assertEquals("evt-1", MDC.get(EventLog.EVENT_ID), "WildFly's formatter reads the MDC");
            assertNull(MDC.get(EventLog.NOTIFICATION_ID), "a line's own fields end with the line");
        }

        assertEquals(List.of("sent", Map.of("event_id", "evt-1", "channel", "sms", "notification_id", "n-1")),
                List.of(records.get(0).getParameters()), "a null value leaves its name out");
        assertEquals("{0}", records.get(0).getMessage(), "the text is a parameter, whatever braces it holds");
    }

    @Test
    void aClosedScopeRestoresTheOneAroundIt() {
        try (EventLog.Scope outer = EventLog.scope(EventLog.EVENT_ID, "evt-1")) {
            try (EventLog.Scope inner = EventLog.scope(EventLog.EVENT_ID, "evt-2", EventLog.USER_ID, "u-2")) {
                EventLog.log(logger, Level.INFO, "inner");
            }
            EventLog.log(logger, Level.INFO, "outer");
            assertEquals("evt-1", MDC.get(EventLog.EVENT_ID));
            assertNull(MDC.get(EventLog.USER_ID));
        }
        EventLog.log(logger, Level.INFO, "none");

        assertEquals(Map.of("event_id", "evt-2", "user_id", "u-2"), records.get(0).getParameters()[1]);
        assertEquals(Map.of("event_id", "evt-1"), records.get(1).getParameters()[1]);
        assertEquals(Map.of(), records.get(2).getParameters()[1]);
        assertNull(MDC.get(EventLog.EVENT_ID));
    }
}
