package trm4j.data;

import java.util.List;

/**
 * An ARC task: demonstration pairs and test pairs (test outputs may be absent: {@code null}).
 *
 * @param id     the file name without .json, or the key in a challenges file
 * @param source where it came from (a file path), for messages
 */
public record ArcTask(String id, String source, List<Pair> train, List<Pair> test) {
    public record Pair(Grid input, Grid output) {}

    /** The same task under a dihedral transform and a colour map (colour 0 should map to 0). */
    public ArcTask transform(int dihedral, byte[] colours) {
        return new ArcTask(id, source, map(train, dihedral, colours), map(test, dihedral, colours));
    }

    private static List<Pair> map(List<Pair> pairs, int d, byte[] colours) {
        return pairs.stream().map(p -> new Pair(p.input().dihedral(d).recolour(colours),
                p.output() == null ? null : p.output().dihedral(d).recolour(colours))).toList();
    }
}
