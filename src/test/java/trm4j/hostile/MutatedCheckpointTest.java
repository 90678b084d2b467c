package trm4j.hostile;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;

import trm4j.UserError;
import trm4j.checkpoint.Checkpoint;
import trm4j.config.ModelConfig;
import trm4j.engine.Device;
import trm4j.engine.Natives;
import trm4j.engine.Precision;
import trm4j.engine.Torch;
import trm4j.model.Network;

/**
 * Valid checkpoints with bits flipped, bytes overwritten or the end cut: each loads, or is refused
 * with a one-line {@link UserError}; never another exception.
 */
class MutatedCheckpointTest {
    private static byte[] safetensors, pt;

    @BeforeContainer
    static void files() throws IOException {
        Natives.load();
        Torch.seed(0);
        ModelConfig c = ModelConfig.builder().hiddenSize(16).heads(4).layers(1).seqLen(4).vocabSize(6).puzzleEmbLen(1).puzzleIds(2).build();
        Path f = Files.createTempFile("valid", ".safetensors");
        try (Network net = Network.init(c, Precision.FP32)) {
            Checkpoint.save(net, f, Map.of());
        }
        safetensors = Files.readAllBytes(f);
        Files.delete(f);
        pt = Files.readAllBytes(Path.of("src/test/resources/trm4j/torchsave/trm_fp32.pt"));
    }

    @Property(tries = 300)
    void aMutatedSafetensorsFileLoadsOrIsOneLine(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int how) {
        check(mutate(safetensors, seed, how), ".safetensors");
    }

    @Property(tries = 300)
    void aMutatedTorchSaveFileLoadsOrIsOneLine(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int how) {
        check(mutate(pt, seed, how), ".pt");
    }

    /** 0: flip one bit; 1: overwrite up to 8 bytes with random ones; 2: cut the file short. Most land in the header. */
    static byte[] mutate(byte[] valid, long seed, int how) {
        Random r = new Random(seed);
        int at = r.nextBoolean() ? r.nextInt(Math.min(valid.length, 2048)) : r.nextInt(valid.length);
        if (how == 2) return Arrays.copyOf(valid, at);
        byte[] b = valid.clone();
        if (how == 0) b[at] ^= (byte) (1 << r.nextInt(8));
        else for (int i = at; i < Math.min(b.length, at + 1 + r.nextInt(8)); i++) b[i] = (byte) r.nextInt(256);
        return b;
    }

    private static void check(byte[] bytes, String suffix) {
        Path f;
        try {
            f = Files.createTempFile("mutated", suffix);
            Files.write(f, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Checkpoint.load(f, Precision.FP32, Device.CPU, Map.of("heads", "4")).network().close();
        } catch (UserError e) {
            if (e.getMessage().lines().count() != 1) fail("not one line: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            fail("an unchecked " + e + " for a mutated file", e);
        } finally {
            try {
                Files.delete(f);
            } catch (IOException e) {
                // the temp folder is cleaned later
            }
        }
    }
}
