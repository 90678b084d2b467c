package trm4j.extension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiPredicate;

import com.fasterxml.jackson.annotation.JsonProperty;

import trm4j.config.DataConfig;
import trm4j.data.BoardLook;
import trm4j.data.PuzzleKind;
import trm4j.data.PuzzleSet;

/**
 * A kind of puzzle written outside trm4j's main sources, as a user would: a square board of bits,
 * answered by the board with every bit flipped.
 * It is listed in src/test/resources/META-INF/services/trm4j.config.DataKind and nowhere else.
 */
public final class FlipKind implements PuzzleKind<FlipKind.Config> {
    /** Its data section: {@code {"kind": "flip", "size": 4, "train": ..., "test": ..., "validation": ..., "seed": ...}}. */
    public record Config(@JsonProperty("size") int size, @JsonProperty("train") int train, @JsonProperty("test") int test,
                         @JsonProperty("validation") int validation, @JsonProperty("seed") long seed) implements DataConfig.Puzzles {
        @Override public String kind() { return "flip"; }
    }

    @Override public String name() { return "flip"; }

    @Override public Class<Config> config() { return Config.class; }

    @Override public String description() {
        return "bits 0 and 1; answers flip every bit";
    }

    @Override public Splits load(Config c) {
        Set<String> seen = new HashSet<>();
        PuzzleSet test = generate(c.size(), c.test(), c.seed() + 1, seen), validation = c.validation() == 0 ? null : generate(c.size(), c.validation(), c.seed() + 2, seen);
        return new Splits(generate(c.size(), c.train(), c.seed(), seen), test, validation);
    }

    @Override public String summary(Config c) {
        return "generated " + c.size() + "x" + c.size() + " boards of bits";
    }

    @Override public PuzzleSet generate(Config c, int count, long seed) {
        return generate(c.size(), count, seed, new HashSet<>());
    }

    @Override public PuzzleSet generate(int count, long seed, Map<String, Long> options) {
        return generate(options.getOrDefault("size", 4L).intValue(), count, seed, new HashSet<>());
    }

    /** {@code count} boards none of which is in {@code seen}, which gets them. */
    private PuzzleSet generate(int side, int count, long seed, Set<String> seen) {
        Random rnd = new Random(seed);
        List<byte[]> in = new ArrayList<>(), out = new ArrayList<>();
        while (in.size() < count) {
            byte[] bits = new byte[side * side], flipped = new byte[side * side];
            for (int i = 0; i < bits.length; i++) flipped[i] = (byte) (1 - (bits[i] = (byte) rnd.nextInt(2)));
            if (!seen.add(new String(bits, StandardCharsets.ISO_8859_1))) continue;
            in.add(tokens(bits));
            out.add(tokens(flipped));
        }
        return PuzzleSet.of(this, side, side, 3, seed, in, out);
    }

    private byte[] tokens(byte[] values) {
        byte[] t = new byte[values.length];
        for (int i = 0; i < t.length; i++) t[i] = token(values[i]);
        return t;
    }

    @Override public int maxGiven(int side) {
        return 1;
    }

    /** The answer is the input with every bit flipped (checked here without the label). */
    @Override public BiPredicate<byte[], byte[]> validity() {
        return (input, answer) -> {
            for (int i = 0; i < input.length; i++) if (value(answer[i]) != 1 - value(input[i])) return false;
            return true;
        };
    }

    @Override public BoardLook look(int side) {
        return new BoardLook(1, List.of(new BoardLook.Cell("0", "0", null, null), new BoardLook.Cell("1", "1", "#ffdc00", null)), 0, 0, true);
    }
}
