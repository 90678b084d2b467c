package trm4j.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressBarTest {
    /** A run resumed at step 5,000 of 6,000 that took 60 s for its next 100 steps has 9 minutes to go, not none. */
    @Test
    void theRateCountsFromWhereTheBarStarted() {
        assertEquals("train [####################----]  85% 5100/6000 steps ETA 9m00s | loss 0.5",
                ProgressBar.line("train", 6000, "steps", 5000, 5100, 60, "loss 0.5"));
        assertEquals("train [####################----]  83% 5000/6000 steps ETA ?", ProgressBar.line("train", 6000, "steps", 5000, 5000, 0, ""));
    }

    @Test
    void aFinishedBarSaysHowLongItTook() {
        assertEquals("eval [########################] 100% 200/200 puzzles done in 1h01m", ProgressBar.line("eval", 200, "puzzles", 0, 200, 3690, ""));
    }

    @Test
    void anUnknownTotalShowsTheCountAndTheRate() {
        assertEquals("arc-agi-1 1,500 bytes (50/s)", ProgressBar.line("arc-agi-1", 0, "bytes", 0, 1500, 30, ""));
    }
}
