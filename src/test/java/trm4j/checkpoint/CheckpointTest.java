package trm4j.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trm4j.config.Json;
import trm4j.config.ModelConfig;
import trm4j.engine.Device;
import trm4j.engine.Precision;
import trm4j.engine.Torch;
import trm4j.model.Network;
import trm4j.model.Recursion;
import trm4j.model.RecursionTest;
import trm4j.model.Tiny;

class CheckpointTest {
    @TempDir Path dir;

    private static Tensor logits(Network net) {
        ModelConfig c = net.config();
        Torch.seed(4);
        Tensor tok = torch.randint(c.vocabSize(), new long[] {2, c.seqLen()}, Device.CPU.options(ScalarType.Long));
        Tensor x = net.embed(tok, net.puzzleRows(Torch.fromLongs(new long[] {1, 2}, 2)), Torch.fromLongs(new long[] {1, 2}, 2));
        return Recursion.step(net, net.initialCarry(2), x).logits();
    }

    private static Network trainedLooking(ModelConfig c) {
        Torch.seed(2);
        Network net = Network.init(c, Precision.FP32);
        net.puzzleTable().normal_(0, 0.5, null);   // make the table matter, as after training
        try (var g = new NoGradGuard()) {
            net.weights().get(Network.Q_WEIGHT).normal_(0, 0.5, null);
        }
        return net;
    }

    @Test
    void saveThenLoadRebuildsTheExactModel() throws IOException {
        Network net = trainedLooking(Tiny.attention(2, 2, true));
        Path f = dir.resolve("m.safetensors");
        Checkpoint.save(net, f, Map.of("note", "x"));
        Checkpoint.Loaded back = Checkpoint.load(f, Precision.FP32, Device.CPU, Map.of());
        assertEquals(net.config(), back.network().config());
        assertEquals("x", back.metadata().get("note"));
        assertEquals(0.0, RecursionTest.relativeError(logits(back.network()), logits(net)), 0.0);
        assertEquals(net.parameterCount(), back.network().parameterCount());
    }

    /**
     * The configuration inferred from a reference layout's shapes (prefixes, mlp_t, the reference defaults):
     * a layout made here from a known configuration. A file the reference code wrote is read in ReferenceGoldenTest.
     */
    @Test
    void referenceExportImportsWithInferredConfigurationAndSameLogits() throws IOException {
        for (ModelConfig c : new ModelConfig[] {Tiny.mlpT(3, 6), Tiny.attention(1, 2, true)}) {
            // The inferred configuration uses the reference defaults: 8 heads, 16 prefix positions.
            ModelConfig ref = ModelConfig.builder().hiddenSize(32).heads(8).seqLen(c.mlpT() ? 6 : 900).vocabSize(12)
                    .puzzleEmbLen(16).puzzleIds(5).posEncoding(c.posEncoding()).mlpT(c.mlpT()).stepEmbedding(c.stepEmbedding())
                    .T(c.stepEmbedding() ? 1 : 3).n(c.stepEmbedding() ? 2 : 6).nSup(c.stepEmbedding() ? 4 : 16).build();
            Network net = trainedLooking(ref);
            for (String prefix : new String[] {"_orig_mod.model.inner.", "model.inner."}) {
                Map<String, Tensor> exported = new LinkedHashMap<>();
                net.tensors().forEach((k, v) -> exported.put(prefix + k,
                        k.equals(Network.Y0) || k.equals(Network.Z0) ? v.to(ScalarType.BFloat16) : v));   // the reference keeps them in bf16
                Path f = dir.resolve("ref.safetensors");
                Safetensors.write(f, exported, Map.of());
                Checkpoint.Loaded back = Checkpoint.load(f, Precision.FP32, Device.CPU, Map.of());
                assertTrue(back.inferred());
                Network b = back.network();
                assertEquals(ref.withPuzzleIds(5), b.config(), "inferred from " + prefix);
                // y0/z0 went through bf16, so compare with the original rounded the same way.
                Network rounded = new Network(ref, Precision.FP32, roundInit(net.tensors()));
                assertEquals(0.0, RecursionTest.relativeError(logits(b), logits(rounded)), 1e-6);
            }
        }
    }

    /** A tensor name holding a line break (a crafted or corrupted file) is written escaped: the refusal stays one line. */
    @Test
    void aNameWithALineBreakIsRefusedInOneLine() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>(trainedLooking(Tiny.attention(1, 2, true)).tensors());
        t.put("L_level.layers.x\ny.weight", t.get(Network.EMBED));
        Path f = dir.resolve("broken-name.safetensors");
        Safetensors.write(f, t, Map.of());
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(f, Precision.FP32, Device.CPU, Map.of()));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("L_level.layers.x\\u000ay.weight"), e.getMessage());
    }

    private static Map<String, Tensor> roundInit(Map<String, Tensor> t) {
        Map<String, Tensor> m = new LinkedHashMap<>(t);
        m.put(Network.Y0, t.get(Network.Y0).to(ScalarType.BFloat16).to(ScalarType.Float));
        m.put(Network.Z0, t.get(Network.Z0).to(ScalarType.BFloat16).to(ScalarType.Float));
        return m;
    }

    @Test
    void truncatedFileIsRefusedNamingTheFile() throws IOException {
        Path f = dir.resolve("t.safetensors");
        Checkpoint.save(Network.init(Tiny.attention(1, 1, false), Precision.FP32), f, Map.of());
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 100));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(f, Precision.FP32, Device.CPU, Map.of()));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("tensor ") || e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void garbageHeaderIsRefused() throws IOException {
        Path f = dir.resolve("g.safetensors");
        Files.write(f, new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', 'x', 'x', 'x', ' ', ' ', ' ', ' '});
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(f, Precision.FP32, Device.CPU, Map.of()));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        Files.write(f, new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 'x'});   // another kind of file, say
        assertEquals(f + ": not a checkpoint: neither a safetensors file (its first 8 bytes give a header of 255 bytes, the file has 9) nor a torch.save one (a zip archive)",
                assertThrows(CheckpointException.class, () -> Checkpoint.load(f, Precision.FP32, Device.CPU, Map.of())).getMessage());
        Files.write(f, new byte[] {1, 2, 3});
        assertThrows(CheckpointException.class, () -> Checkpoint.load(f, Precision.FP32, Device.CPU, Map.of()));
        assertThrows(CheckpointException.class, () -> Checkpoint.load(dir.resolve("missing.safetensors"), Precision.FP32, Device.CPU, Map.of()));
    }

    @Test
    void shapesThatDoNotFitTheConfigurationAreRefusedNamingTheTensor() throws IOException {
        Path f = dir.resolve("s.safetensors");
        Checkpoint.save(Network.init(Tiny.attention(1, 1, false), Precision.FP32), f, Map.of());
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Checkpoint.load(f, Precision.FP32, Device.CPU, Map.of("hidden_size", "32")));
        assertTrue(e.getMessage().contains("tensor embed_tokens.embedding_weight has shape [5, 16]"), e.getMessage());

        Map<String, Tensor> t = new LinkedHashMap<>(Network.init(Tiny.attention(1, 1, false), Precision.FP32).tensors());
        t.put("L_level.layers.0.mlp.down_proj.weight", Torch.zeros(Device.CPU, ScalarType.Float, 3, 3));
        Safetensors.write(f, t, Map.of(Checkpoint.CONFIG_KEY, Json.MAPPER.writeValueAsString(Tiny.attention(1, 1, false))));
        e = assertThrows(CheckpointException.class, () -> Checkpoint.load(f, Precision.FP32, Device.CPU, Map.of()));
        assertTrue(e.getMessage().contains("tensor L_level.layers.0.mlp.down_proj.weight has shape [3, 3]"), e.getMessage());
    }

    @Test
    void writeIsAtomicAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("a.safetensors");
        Checkpoint.save(Network.init(Tiny.attention(1, 1, false), Precision.FP32), f, Map.of());
        Checkpoint.save(Network.init(Tiny.attention(1, 1, false), Precision.FP32), f, Map.of());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
    }
}
