package trm4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;

import trm4j.Outputs;
import trm4j.data.ArcTask;
import trm4j.data.Grid;

/** ARC grids drawn in the usual palette, as rows of grids side by side (null: an empty slot). */
public final class TaskImages {
    /** The usual ARC palette, colours 0..9. */
    public static final int[] PALETTE = {0x000000, 0x0074D9, 0xFF4136, 0x2ECC40, 0xFFDC00, 0xAAAAAA, 0xF012BE, 0xFF851B, 0x7FDBFF, 0x870C25};
    private static final int CELL = 12, GAP = 16;

    private TaskImages() {}

    /** A task's pairs, input left and output right, one row per pair. */
    public static BufferedImage pairs(ArcTask task) {
        List<List<Grid>> rows = new ArrayList<>();
        List<ArcTask.Pair> all = new ArrayList<>(task.train());
        all.addAll(task.test());
        for (ArcTask.Pair p : all) rows.add(Arrays.asList(p.input(), p.output()));
        return rows(rows);
    }

    /** Frames around an attempt: right (it equals the truth) and wrong. */
    public static final Color RIGHT = new Color(0x2ECC40), WRONG = new Color(0xFF4136);

    /**
     * An evaluated test input: the demonstrations; then the test input, attempt 1, attempt 2 and
     * the truth, each attempt framed green when it is right and red when it is wrong (no frame
     * without a truth); then the answer after each supervision step (the path to the answer).
     */
    public static BufferedImage answer(ArcTask task, Grid testInput, Grid attempt1, Grid attempt2, Grid truth, List<Grid> path) {
        List<List<Grid>> rows = new ArrayList<>();
        List<List<Color>> frames = new ArrayList<>();
        for (ArcTask.Pair p : task.train()) {
            rows.add(List.of(p.input(), p.output()));
            frames.add(Arrays.asList(null, null));
        }
        rows.add(Arrays.asList(testInput, attempt1, attempt2, truth));
        frames.add(Arrays.asList(null, mark(attempt1, truth), mark(attempt2, truth), null));
        rows.add(path);
        frames.add(Collections.nCopies(path.size(), null));
        return rows(rows, frames);
    }

    private static Color mark(Grid attempt, Grid truth) {
        return truth == null || attempt == null ? null : attempt.equals(truth) ? RIGHT : WRONG;
    }

    public static BufferedImage rows(List<List<Grid>> rows) {
        List<List<Color>> none = new ArrayList<>();
        for (List<Grid> row : rows) none.add(Collections.nCopies(row.size(), null));
        return rows(rows, none);
    }

    /** Grids in rows on a dark background; a grid with a frame colour gets a frame in the gap around it. */
    private static BufferedImage rows(List<List<Grid>> rows, List<List<Color>> frames) {
        int width = 0, height = GAP;
        for (List<Grid> row : rows) {
            int w = GAP, h = 0;
            for (Grid g : row) {
                w += (g == null ? 1 : g.cols()) * CELL + GAP;
                h = Math.max(h, g == null ? 1 : g.rows());
            }
            width = Math.max(width, w);
            height += h * CELL + GAP;
        }
        BufferedImage img = new BufferedImage(Math.max(width, 1), height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(0x303030));
        g.fillRect(0, 0, img.getWidth(), height);
        int y = GAP;
        for (int ri = 0; ri < rows.size(); ri++) {
            List<Grid> row = rows.get(ri);
            int x = GAP, h = 0;
            for (int gi = 0; gi < row.size(); gi++) {
                Grid grid = row.get(gi);
                if (grid != null) draw(g, grid, x, y);
                Color frame = frames.get(ri).get(gi);
                if (grid != null && frame != null) {
                    g.setColor(frame);
                    g.setStroke(new BasicStroke(3));
                    g.drawRect(x - 4, y - 4, grid.cols() * CELL + 6, grid.rows() * CELL + 6);
                }
                x += (grid == null ? 1 : grid.cols()) * CELL + GAP;
                h = Math.max(h, grid == null ? 1 : grid.rows());
            }
            y += h * CELL + GAP;
        }
        g.dispose();
        return img;
    }

    private static void draw(Graphics2D g, Grid grid, int x0, int y0) {
        for (int r = 0; r < grid.rows(); r++)
            for (int c = 0; c < grid.cols(); c++) {
                g.setColor(new Color(PALETTE[grid.get(r, c)]));
                g.fillRect(x0 + c * CELL, y0 + r * CELL, CELL - 1, CELL - 1);
            }
    }

    public static void write(BufferedImage img, Path png) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(img, "png", b);
        Outputs.writeAtomically(png, b.toByteArray());
    }

    /** A task as text: each pair's input and output side by side, in ANSI background colours or as digits. */
    public static String text(ArcTask task, boolean colour) {
        StringBuilder b = new StringBuilder();
        for (String part : new String[] {"train", "test"}) {
            List<ArcTask.Pair> pairs = part.equals("train") ? task.train() : task.test();
            for (int i = 0; i < pairs.size(); i++) {
                b.append(part).append(' ').append(i).append(":\n");
                Grid in = pairs.get(i).input(), out = pairs.get(i).output();
                for (int r = 0; r < Math.max(in.rows(), out == null ? 0 : out.rows()); r++) {
                    b.append("  ");
                    row(b, in, r, colour);
                    b.append("   ");
                    if (out != null) row(b, out, r, colour);
                    b.append('\n');
                }
            }
        }
        return b.toString();
    }

    private static void row(StringBuilder sb, Grid g, int r, boolean colour) {
        for (int c = 0; c < g.cols(); c++) {
            if (r >= g.rows()) {
                sb.append("  ");
                continue;
            }
            int v = g.get(r, c), rgb = PALETTE[v];
            sb.append(colour ? String.format("\u001b[48;2;%d;%d;%dm  ", rgb >> 16, (rgb >> 8) & 255, rgb & 255) : v + " ");
        }
        if (colour) sb.append("\u001b[0m");
    }
}
