package trm4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

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
    private final int[] firstOfTask, endOfTask;

    private ArcVersions(int[] task, byte[] dihedral, long[] colours, int[] firstOfTask, int[] endOfTask) {
        this.task = task;
        this.dihedral = dihedral;
        this.colours = colours;
        this.firstOfTask = firstOfTask;
        this.endOfTask = endOfTask;
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
        return new ArcVersions(Arrays.copyOf(task, v), Arrays.copyOf(dih, v), Arrays.copyOf(col, v), first,
                Arrays.copyOfRange(first, 1, first.length));
    }

    /** Separates the parts of a reference puzzle identifier: {@code TASK|||tD|||MAPPING}. */
    public static final String SEPARATOR = "|||";

    /** Tasks in the order the identifiers name them, with their versions: version v is identifier v + 1. */
    public record Identified(List<ArcTask> tasks, ArcVersions versions) {}

    /**
     * The versions a reference dataset was built with, from its {@code identifiers.json} (index =
     * puzzle id, 0 = {@code "<blank>"}): {@code TASK} for an original, {@code TASK|||tD|||MAPPING} for the
     * dihedral D after the colour mapping (MAPPING[c] is the new colour of c). Identifiers of tasks not
     * in {@code known} keep their ids but belong to no task; a task's versions must be consecutive.
     */
    public static Identified fromIdentifiers(List<String> ids, Map<String, ArcTask> known, String file) {
        int n = Math.max(0, ids.size() - 1);
        int[] task = new int[n];
        byte[] dih = new byte[n];
        long[] col = new long[n];
        List<ArcTask> tasks = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        List<Integer> first = new ArrayList<>(), end = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            String id = ids.get(v + 1);
            String[] parts = id.split(Pattern.quote(SEPARATOR));
            if (parts.length != 1 && parts.length != 3)
                throw new DataError(file + ": identifier " + (v + 1) + " '" + id + "' is not TASK or TASK|||tD|||MAPPING");
            int d = 0;
            long perm = IDENTITY;
            if (parts.length == 3) {
                try {
                    d = Integer.parseInt(parts[1].substring(1));
                } catch (RuntimeException e) {
                    d = -1;
                }
                if (!parts[1].startsWith("t") || d < 0 || d > 7 || !parts[2].matches("[0-9]{10}"))
                    throw new DataError(file + ": identifier " + (v + 1) + " '" + id + "' has no dihedral t0..t7 and 10-digit colour mapping");
                perm = 0;
                for (int c = 0; c < 10; c++) perm |= (long) (parts[2].charAt(c) - '0') << (4 * c);
            }
            ArcTask t = known.get(parts[0]);
            int ti = -1;
            if (t != null) {
                Integer seen = index.get(parts[0]);
                if (seen == null) {
                    index.put(parts[0], ti = tasks.size());
                    tasks.add(t);
                    first.add(v);
                    end.add(v + 1);
                } else {
                    ti = seen;
                    if (end.get(ti) != v) throw new DataError(file + ": the identifiers of task " + parts[0] + " are not consecutive");
                    end.set(ti, v + 1);
                }
            }
            task[v] = ti;
            dih[v] = (byte) d;
            col[v] = perm;
        }
        return new Identified(tasks, new ArcVersions(task, dih, col, first.stream().mapToInt(Integer::intValue).toArray(),
                end.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** The reference identifier of a version of a task named {@code name} (inverse of {@link #fromIdentifiers}). */
    public String identifier(String name, int version) {
        if (version == firstOfTask[task[version]] && dihedral[version] == 0 && colours[version] == IDENTITY) return name;
        StringBuilder b = new StringBuilder(name).append(SEPARATOR).append('t').append(dihedral[version]).append(SEPARATOR);
        for (byte c : coloursOf(version)) b.append(c);
        return b.toString();
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

    /** Versions of task t are {@code first(t) .. end(t) - 1} (puzzle ids one more). */
    public int first(int taskIndex) { return firstOfTask[taskIndex]; }

    public int end(int taskIndex) { return endOfTask[taskIndex]; }

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
