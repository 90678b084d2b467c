package trm4j.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import trm4j.config.DataConfig;

/**
 * Mazes of side n: walls, open cells, a start and a goal far apart; the label marks one shortest
 * path. Tokens: PAD 0, '#' 1, ' ' 2, 'S' 3, 'G' 4, 'o' 5 (the Maze-Hard characters).
 */
public final class Maze {
    public static final byte WALL = 1, OPEN = 2, START = 3, GOAL = 4, PATH = 5;
    private static final String CHARS = "?# SGo";

    private Maze() {}

    /**
     * A maze whose shortest start-goal path has at least {@code minPath} steps: a depth-first
     * carved labyrinth with a fraction of extra walls knocked out (so that it has loops), start and
     * goal at the two ends of its longest shortest path.
     * @return {input, label}
     */
    public static byte[][] generate(int n, int minPath, Random rnd) {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            byte[] g = new byte[n * n];
            Arrays.fill(g, WALL);
            carve(g, n, 1, 1, rnd);
            for (int i = 0; i < n * n / 20; i++) {   // loops
                int r = 1 + rnd.nextInt(n - 2), c = 1 + rnd.nextInt(n - 2);
                if (g[r * n + c] == WALL && ((r % 2 == 1) != (c % 2 == 1))) g[r * n + c] = OPEN;
            }
            int a = farthest(g, n, 1 * n + 1)[0];
            int[] far = farthest(g, n, a);
            if (far[1] < minPath) continue;
            byte[] input = g.clone();
            input[a] = START;
            input[far[0]] = GOAL;
            byte[] label = input.clone();
            for (int cell : shortestPath(input, n, a, far[0])) if (label[cell] == OPEN) label[cell] = PATH;
            return new byte[][] {input, label};
        }
        throw new DataError("no " + n + "x" + n + " maze whose shortest path has at least " + minPath + " steps came in 10,000 tries: lower the least "
                + "path (data.min_path, or --min-path); " + DataConfig.Maze.defaultMinPath(n) + ", the default for this side, draws quickly");
    }

    private static void carve(byte[] g, int n, int r0, int c0, Random rnd) {
        ArrayDeque<int[]> stack = new ArrayDeque<>();
        g[r0 * n + c0] = OPEN;
        stack.push(new int[] {r0, c0});
        int[][] dirs = {{0, 2}, {2, 0}, {0, -2}, {-2, 0}};
        while (!stack.isEmpty()) {
            int[] cur = stack.peek();
            List<int[]> next = new ArrayList<>();
            for (int[] d : dirs) {
                int r = cur[0] + d[0], c = cur[1] + d[1];
                if (r > 0 && c > 0 && r < n - 1 && c < n - 1 && g[r * n + c] == WALL) next.add(new int[] {r, c});
            }
            if (next.isEmpty()) {
                stack.pop();
                continue;
            }
            int[] to = next.get(rnd.nextInt(next.size()));
            g[(cur[0] + to[0]) / 2 * n + (cur[1] + to[1]) / 2] = OPEN;
            g[to[0] * n + to[1]] = OPEN;
            stack.push(to);
        }
    }

    /** Breadth-first distances from a cell over non-wall cells (-1: unreachable). */
    static int[] distances(byte[] g, int n, int from) {
        int[] dist = new int[n * n];
        Arrays.fill(dist, -1);
        ArrayDeque<Integer> q = new ArrayDeque<>();
        dist[from] = 0;
        q.add(from);
        while (!q.isEmpty()) {
            int cell = q.poll();
            for (int nb : neighbours(cell, n)) {
                if (nb >= 0 && g[nb] != WALL && dist[nb] < 0) {
                    dist[nb] = dist[cell] + 1;
                    q.add(nb);
                }
            }
        }
        return dist;
    }

    private static int[] neighbours(int cell, int n) {
        int r = cell / n, c = cell % n;
        return new int[] {r > 0 ? cell - n : -1, r < n - 1 ? cell + n : -1, c > 0 ? cell - 1 : -1, c < n - 1 ? cell + 1 : -1};
    }

    private static int[] farthest(byte[] g, int n, int from) {
        int[] d = distances(g, n, from);
        int best = from;
        for (int i = 0; i < d.length; i++) if (d[i] > d[best]) best = i;
        return new int[] {best, d[best]};
    }

    /** One shortest path from a to b, both ends included. */
    static List<Integer> shortestPath(byte[] g, int n, int a, int b) {
        int[] d = distances(g, n, b);
        List<Integer> path = new ArrayList<>();
        int cell = a;
        path.add(cell);
        while (cell != b) {
            for (int nb : neighbours(cell, n))
                if (nb >= 0 && d[nb] == d[cell] - 1) {
                    cell = nb;
                    break;
                }
            path.add(cell);
        }
        return path;
    }

    /** True when the 'o' cells of {@code label} and S, G form a path from S to G as short as any. */
    public static boolean isShortestPath(byte[] input, byte[] label, int n) {
        int s = indexOf(input, START), goal = indexOf(input, GOAL);
        if (s < 0 || goal < 0) return false;
        int pathCells = 0;
        for (int i = 0; i < n * n; i++) {
            if (label[i] == PATH) {
                if (input[i] != OPEN) return false;
                pathCells++;
            } else if (label[i] != input[i]) return false;
        }
        // Walk over path cells only: a shortest path is reached from S in exactly pathCells+1 steps.
        byte[] onlyPath = new byte[n * n];
        for (int i = 0; i < n * n; i++) onlyPath[i] = label[i] == PATH || i == s || i == goal ? OPEN : WALL;
        int along = distances(onlyPath, n, s)[goal];
        return along == pathCells + 1 && along == distances(input, n, s)[goal];
    }

    private static int indexOf(byte[] g, byte v) {
        for (int i = 0; i < g.length; i++) if (g[i] == v) return i;
        return -1;
    }

    public static PuzzleSet generate(int count, long seed, int n, int minPath) {
        return generate(count, seed, n, minPath, Set.of());
    }

    /** {@code count} mazes none of which is a dihedral transform of one whose key is in {@code exclude}. */
    public static PuzzleSet generate(int count, long seed, int n, int minPath, Set<String> exclude) {
        Random rnd = new Random(seed);
        List<byte[]> in = new ArrayList<>(), out = new ArrayList<>();
        while (in.size() < count) {
            byte[][] m = generate(n, minPath, rnd);
            if (!exclude.isEmpty() && exclude.contains(augmentationKey(m[0], n))) continue;
            in.add(m[0]);
            out.add(m[1]);
        }
        return PuzzleSet.of(PuzzleKinds.MAZE, n, n, 6, seed, in, out);
    }

    /** A key shared by a maze and its 8 dihedral transforms (the training augmentation): the smallest of them. */
    public static String augmentationKey(byte[] tokens, int n) {
        String best = null;
        for (int d = 0; d < 8; d++) {
            String k = new String(dihedral(tokens, n, d), StandardCharsets.ISO_8859_1);
            if (best == null || k.compareTo(best) < 0) best = k;
        }
        return best;
    }

    /** The 8 dihedral transforms of a square maze's tokens (Grid does the geometry). */
    public static byte[] dihedral(byte[] tokens, int n, int id) {
        return new Grid(n, n, tokens).dihedral(id).cells();
    }

    /** The public Maze-Hard CSV: {@code source,question,answer,rating} over the characters "# SGo". */
    public static PuzzleSet readCsv(Path file) {
        List<byte[]> in = new ArrayList<>(), out = new ArrayList<>();
        int side = -1;
        for (PuzzleCsv.Row r : PuzzleCsv.read(file)) {
            int n = (int) Math.round(Math.sqrt(r.question().length()));
            if (n * n != r.question().length() || r.answer().length() != r.question().length() || (side >= 0 && n != side))
                throw new DataError(file + ": line " + r.line() + ": question and answer must be the same square size");
            side = n;
            in.add(tokens(r.question(), file, r.line()));
            out.add(tokens(r.answer(), file, r.line()));
        }
        if (side < 0) throw new DataError(file + ": no mazes");
        return PuzzleSet.of(PuzzleKinds.MAZE, side, side, 6, 0, in, out);
    }

    private static byte[] tokens(String s, Path file, int line) {
        byte[] t = new byte[s.length()];
        for (int i = 0; i < t.length; i++) {
            int k = CHARS.indexOf(s.charAt(i));
            if (k <= 0) throw new DataError(file + ": line " + line + ": character '" + s.charAt(i) + "' is not one of \"# SGo\"");
            t[i] = (byte) k;
        }
        return t;
    }
}
