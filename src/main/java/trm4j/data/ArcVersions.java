package trm4j.data;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The augmented versions of a list of tasks, never materialised: version v is (task, dihedral id,
 * colour permutation), drawn deterministically from the seed, without duplicates (by a hash of the
 * whole augmented task), the original first. Puzzle id = v + 1 (id 0 is the blank puzzle), so an id
 * maps back to its task and transform. About 13 bytes per version.
 */
public final class ArcVersions {
    private final int[] task;
    private final byte[] dihedral;
    private final long[] colours;   // colour c (1..9) -> nibble c of the long; colour 0 stays 0
    private final int[] firstOfTask;

    private ArcVersions(int[] task, byte[] dihedral, long[] colours, int[] firstOfTask) {
        this.task = task;
        this.dihedral = dihedral;
        this.colours = colours;
        this.firstOfTask = firstOfTask;
    }

    /** Dihedral ids that map a 1-row grid to a 1-row grid (identity, rot180, flips). */
    public static final int[] ALL_DIHEDRALS = {0, 1, 2, 3, 4, 5, 6, 7}, ROW_DIHEDRALS = {0, 2, 4, 5};

    public static ArcVersions build(List<ArcTask> tasks, int perTask, long seed) {
        return build(tasks, perTask, seed, ALL_DIHEDRALS);
    }

    /** Up to {@code perTask} distinct versions per task, transforms drawn from {@code dihedrals}. */
    public static ArcVersions build(List<ArcTask> tasks, int perTask, long seed, int[] dihedrals) {
        int total = tasks.size() * perTask;
        int[] task = new int[total];
        byte[] dih = new byte[total];
        long[] col = new long[total];
        int[] first = new int[tasks.size() + 1];
        int v = 0;
        for (int t = 0; t < tasks.size(); t++) {
            first[t] = v;
            Random rnd = new Random(seed * 1_000_003L + t);
            Set<Long> seen = new HashSet<>();
            int tries = 0;
            while (v - first[t] < perTask && tries++ < perTask * 20) {
                boolean original = v == first[t];
                int d = original ? 0 : dihedrals[rnd.nextInt(dihedrals.length)];
                long perm = original ? IDENTITY : randomPermutation(rnd);
                if (!seen.add(hash(tasks.get(t), d, perm))) continue;   // the same augmented task again
                task[v] = t;
                dih[v] = (byte) d;
                col[v] = perm;
                v++;
            }
        }
        first[tasks.size()] = v;
        return new ArcVersions(java.util.Arrays.copyOf(task, v), java.util.Arrays.copyOf(dih, v), java.util.Arrays.copyOf(col, v), first);
    }

    static final long IDENTITY = identity();

    private static long identity() {
        long p = 0;
        for (int c = 0; c < 10; c++) p |= (long) c << (4 * c);
        return p;
    }

    private static long randomPermutation(Random rnd) {
        int[] perm = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        for (int i = perm.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int x = perm[i];
            perm[i] = perm[j];
            perm[j] = x;
        }
        long p = 0;
        for (int c = 1; c < 10; c++) p |= (long) perm[c - 1] << (4 * c);
        return p;
    }

    static byte[] colourMap(long packed) {
        byte[] map = new byte[10];
        for (int c = 0; c < 10; c++) map[c] = (byte) ((packed >>> (4 * c)) & 0xF);
        return map;
    }

    /** A 64-bit hash of the augmented task, computed without building it. */
    private static long hash(ArcTask t, int d, long perm) {
        byte[] map = colourMap(perm);
        long h = 1125899906842597L;
        for (List<ArcTask.Pair> pairs : List.of(t.train(), t.test()))
            for (ArcTask.Pair p : pairs)
                for (Grid g : new Grid[] {p.input(), p.output()}) {
                    if (g == null) continue;
                    Grid x = g.dihedral(d);
                    h = 31 * h + x.rows() * 64 + x.cols();
                    for (byte b : x.cells()) h = 31 * h + map[b];
                }
        return h;
    }

    public int size() { return task.length; }

    /** Versions of task t are ids {@code first(t)+1 .. first(t+1)}. */
    public int first(int taskIndex) { return firstOfTask[taskIndex]; }

    public int taskOf(int version) { return task[version]; }
    public int dihedralOf(int version) { return dihedral[version]; }
    public byte[] coloursOf(int version) { return colourMap(colours[version]); }

    public static int puzzleId(int version) { return version + 1; }

    /** The augmented task of a version. */
    public ArcTask apply(List<ArcTask> tasks, int version) {
        return tasks.get(task[version]).transform(dihedral[version], coloursOf(version));
    }

    /** Undoes a version's transform on a predicted grid (colours first, then the dihedral). */
    public Grid invert(int version, Grid predicted) {
        byte[] map = coloursOf(version), inverse = new byte[10];
        for (int c = 0; c < 10; c++) inverse[map[c]] = (byte) c;
        return predicted.recolour(inverse).dihedral(Grid.inverseDihedral(dihedral[version]));
    }
}
