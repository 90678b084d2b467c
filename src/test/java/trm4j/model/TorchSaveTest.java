package trm4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import trm4j.engine.Precision;
import trm4j.engine.Torch;

/**
 * torch.save checkpoints written by PyTorch itself (fixtures from make_fixtures.py beside them):
 * every tensor's shape and values, a tensor viewing part of a larger storage, fp16 and bf16, the
 * reference prefixes; and the refusals: a pickle naming os.system, a truncated zip.
 */
class TorchSaveTest {
    private static final Path DIR = Path.of("src/test/resources/trm4j/torchsave");

    @Test
    void readsEveryTensorOfAReferenceStateDict() throws Exception {
        Torch.init();
        JsonNode expected = new ObjectMapper().readTree(DIR.resolve("values.json").toFile());
        Map<String, Tensor> t = TorchSave.read(DIR.resolve("trm_fp32.pt"));
        assertEquals(expected.size(), t.size());
        expected.fields().forEachRemaining(e -> {
            Tensor x = t.get("_orig_mod.model.inner." + e.getKey());
            assertEquals(e.getValue().get("shape").toString(), java.util.Arrays.toString(Torch.shape(x)).replace(" ", ""), e.getKey());
            double[] v = Torch.toDoubles(x);
            assertEquals(e.getValue().get("sum").asDouble(), java.util.Arrays.stream(v).sum(), 1e-9, e.getKey());
            for (int i = 0; i < 3 && i < v.length; i++) assertEquals(e.getValue().get("first").get(i).asDouble(), v[i], 0, e.getKey());
        });
        assertEquals(org.bytedeco.pytorch.global.torch.ScalarType.BFloat16, t.get("_orig_mod.model.inner.H_init").scalar_type().intern());
    }

    @Test
    void loadsAsACheckpointWithTheConfigurationFromTheShapesInAnyFloatType() {
        for (String f : new String[] {"trm_fp32.pt", "trm_fp16.pt"}) {
            Checkpoint.Loaded loaded = Checkpoint.load(DIR.resolve(f), Precision.FP32, Map.of("heads", "4"));
            assertTrue(loaded.inferred(), f);
            assertEquals(16, loaded.network().config().hiddenSize());
            assertEquals(3, loaded.network().config().puzzleIds());
            assertEquals(4, loaded.network().config().heads());
        }
    }

    @Test
    void aPickleThatNamesAnythingButTensorsIsRefusedAndNeverRun() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> TorchSave.read(DIR.resolve("evil.pt")));
        assertTrue(e.getMessage().startsWith(DIR.resolve("evil.pt") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("not a plain state dict") || e.getMessage().contains("not a tensor"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsOneLine(@TempDir Path dir) throws Exception {
        byte[] all = Files.readAllBytes(DIR.resolve("trm_fp32.pt"));
        Path cut = dir.resolve("cut.pt");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(cut, Precision.FP32, Map.of()));
        assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
