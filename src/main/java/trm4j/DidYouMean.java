package trm4j;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** The names close to one a user mistyped (a preset, a flag, a {@code --set} key), for the one line that refuses it. */
public final class DidYouMean {
    /** Longer than any name: no suggestion (the distance table grows with the square of the length). */
    private static final int MAX_LENGTH = 100;

    private DidYouMean() {}

    /**
     * {@code "; did you mean 'demo'?"} when some of {@code known} are near {@code given} (a typo, a swap of two
     * letters, a missing suffix), else "". At most three, the nearest first.
     */
    public static String of(String given, Collection<String> known) {
        List<String> near = near(given, known);
        if (near.isEmpty()) return "";
        return "; did you mean " + String.join(" or ", near.stream().map(n -> "'" + n + "'").toList()) + "?";
    }

    /**
     * For the first of a command's unmatched arguments ({@code --stpes 600}, {@code --steps=600}, {@code evl}): its
     * options or subcommands near it, else, on a command that takes {@code --set}, the near {@code setKeys} written as
     * {@code --set KEY=VALUE} (a preset's field given as a flag); "" when nothing is near.
     */
    public static String ofArgument(List<String> unmatched, Collection<String> options, Collection<String> subcommands, Collection<String> setKeys) {
        if (unmatched.isEmpty()) return "";
        String given = unmatched.get(0);
        String name = given.contains("=") ? given.substring(0, given.indexOf('=')) : given;
        String near = of(name, name.startsWith("-") ? options : subcommands);
        if (!near.isEmpty() || !name.startsWith("--")) return near;
        List<String> keys = near(name.substring(2), setKeys);
        if (keys.isEmpty()) return "";
        String value = given.contains("=") ? given.substring(given.indexOf('=') + 1)
                : unmatched.size() > 1 && !unmatched.get(1).startsWith("-") ? unmatched.get(1) : "VALUE";
        return "; did you mean '--set " + keys.get(0) + "=" + value + "'?";
    }

    /** The names of {@code known} within a few edits of {@code given} (about one per three letters), or that start with it; nearest first. */
    public static List<String> near(String given, Collection<String> known) {
        if (given.length() > MAX_LENGTH) return List.of();
        String g = given.toLowerCase(Locale.ROOT);
        int most = Math.max(1, g.length() / 3);
        List<String> out = new ArrayList<>();
        int[] distances = known.stream().mapToInt(k -> distance(g, k.toLowerCase(Locale.ROOT))).toArray();
        List<String> names = List.copyOf(known);
        for (int d = 0; d <= most && out.size() < 3; d++)
            for (int i = 0; i < names.size() && out.size() < 3; i++)
                if (distances[i] == d && !out.contains(names.get(i))) out.add(names.get(i));
        if (g.length() >= 3)
            for (String k : names) if (out.size() < 3 && !out.contains(k) && k.toLowerCase(Locale.ROOT).startsWith(g)) out.add(k);
        return out;
    }

    /** Edits (insert, delete, replace, swap of neighbours) from a to b: the optimal string alignment distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++)
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        return d[a.length()][b.length()];
    }
}
