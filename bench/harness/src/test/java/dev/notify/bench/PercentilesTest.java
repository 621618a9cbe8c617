package dev.notify.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOfAHundredMillisecondLatencies() {
        List<Long> nanos = new ArrayList<>();
        for (long millis = 1; millis <= 100; millis++) {
            nanos.add(millis * 1_000_000);
        }
        Collections.shuffle(nanos);

        Percentiles percentiles = new Percentiles(nanos);

        assertEquals(50.0, percentiles.millis(50));
        assertEquals(99.0, percentiles.millis(99));
        assertEquals(100.0, percentiles.millis(100));
        assertEquals(1.0, percentiles.millis(1));
    }

    @Test
    void oneSlowRequestInAHundredIsTheMaximumNotTheP99() {
        List<Long> nanos = new ArrayList<>(Collections.nCopies(99, 10_000_000L));
        nanos.add(2_000_000_000L);

        Percentiles percentiles = new Percentiles(nanos);

        assertEquals(10.0, percentiles.millis(99));
        assertEquals(2000.0, percentiles.millis(100));
    }

    @Test
    void noLatenciesHaveNoPercentiles() {
        assertTrue(Double.isNaN(new Percentiles(List.of()).millis(99)));
    }
}
