package dev.notify.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RatePacerTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(5 * SECOND);

    @Test
    void stepsAreSpacedByTheRate() {
        RatePacer pacer = new RatePacer(4, clock::get);

        assertEquals(0, pacer.delayBeforeNextStep(), "the first step starts at once");
        assertEquals(SECOND / 4, pacer.delayBeforeNextStep());
        clock.addAndGet(SECOND / 4 + SECOND / 10);
        assertEquals(SECOND / 4 - SECOND / 10, pacer.delayBeforeNextStep(), "a quarter second after the second started");
    }

    @Test
    void aLateStepIsNotCaughtUpOnWithABurst() {
        RatePacer pacer = new RatePacer(2, clock::get);
        pacer.delayBeforeNextStep();

        clock.addAndGet(3 * SECOND);

        assertEquals(0, pacer.delayBeforeNextStep(), "the second step is late: it starts at once");
        assertEquals(SECOND / 2, pacer.delayBeforeNextStep(), "the third still waits its interval after the second");
    }

    @Test
    void rateMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new RatePacer(0, clock::get));
    }
}
