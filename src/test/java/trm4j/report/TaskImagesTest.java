package trm4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.List;

import org.junit.jupiter.api.Test;

import trm4j.data.ArcTask;
import trm4j.data.Grid;

/** The answer image marks a right attempt green and a wrong one red. */
class TaskImagesTest {
    @Test
    void attemptsAreFramedRightAndWrong() {
        Grid one = Grid.of(new int[][] {{1}}), truth = Grid.of(new int[][] {{2}}), wrong = Grid.of(new int[][] {{3}});
        ArcTask task = new ArcTask("t", "test", List.of(new ArcTask.Pair(one, one)), List.of());
        BufferedImage img = TaskImages.answer(task, one, truth, wrong, truth, List.of(wrong, truth));
        // Layout: gaps of 16 px, cells of 12 px; the attempts row starts at y = 16 + 12 + 16 = 44, attempt 1
        // at x = 16 + 12 + 16 = 44, attempt 2 at x = 72; frames run 4 px outside the grid.
        assertEquals(TaskImages.RIGHT.getRGB() & 0xFFFFFF, img.getRGB(40, 48) & 0xFFFFFF);
        assertEquals(TaskImages.WRONG.getRGB() & 0xFFFFFF, img.getRGB(68, 48) & 0xFFFFFF);
        // The truth itself and the demonstrations have no frame.
        assertEquals(0x303030, img.getRGB(96, 48) & 0xFFFFFF);
        assertEquals(0x303030, img.getRGB(12, 20) & 0xFFFFFF);
    }
}
