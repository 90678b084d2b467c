package trm4j.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import trm4j.UserError;
import trm4j.config.ModelConfig;
import trm4j.engine.Device;
import trm4j.engine.Natives;
import trm4j.engine.Precision;
import trm4j.engine.Torch;
import trm4j.hostile.Corpus;
import trm4j.model.Network;

/**
 * torch.save checkpoints written by PyTorch itself (fixtures from make_fixtures.py beside them):
 * every tensor's shape and values, a tensor viewing part of a larger storage, fp16 and bf16, the
 * reference prefixes; and the refusals: a pickle naming os.system, a truncated zip.
 */
class TorchSaveTest {
    private static final Path DIR = Path.of("src/test/resources/trm4j/torchsave");

    @Test
    void readsEveryTensorOfAReferenceStateDict() throws Exception {
        Natives.load();
        JsonNode expected = new ObjectMapper().readTree(DIR.resolve("values.json").toFile());
        Map<String, Tensor> t = TorchSave.read(DIR.resolve("trm_fp32.pt"));
        assertEquals(expected.size(), t.size());
        expected.fields().forEachRemaining(e -> {
            Tensor x = t.get("_orig_mod.model.inner." + e.getKey());
            assertEquals(e.getValue().get("shape").toString(), Arrays.toString(Torch.shape(x)).replace(" ", ""), e.getKey());
            double[] v = Torch.toDoubles(x);
            assertEquals(e.getValue().get("sum").asDouble(), Arrays.stream(v).sum(), 1e-9, e.getKey());
            for (int i = 0; i < 3 && i < v.length; i++) assertEquals(e.getValue().get("first").get(i).asDouble(), v[i], 0, e.getKey());
        });
        assertEquals(ScalarType.BFloat16, t.get("_orig_mod.model.inner.H_init").scalar_type().intern());
    }

    @Test
    void loadsAsACheckpointWithTheConfigurationFromTheShapesInAnyFloatType() {
        for (String f : new String[] {"trm_fp32.pt", "trm_fp16.pt"}) {
            Checkpoint.Loaded loaded = Checkpoint.load(DIR.resolve(f), Precision.FP32, Device.CPU, Map.of("heads", "4"));
            assertTrue(loaded.inferred(), f);
            assertEquals(16, loaded.network().config().hiddenSize());
            assertEquals(3, loaded.network().config().puzzleIds());
            assertEquals(4, loaded.network().config().heads());
        }
    }

    /** all_config.yaml beside the checkpoint gives what the weights cannot; --set comes last; guesses are named. */
    @Test
    void theReferenceYamlBesideTheCheckpointGivesTheRecursionAndHeads(@TempDir Path dir) throws Exception {
        Path pt = Files.copy(DIR.resolve("trm_fp32.pt"), dir.resolve("step_100"));
        Checkpoint.Loaded bare = Checkpoint.load(pt, Precision.FP32, Device.CPU, Map.of());
        assertEquals(List.of("heads", "T", "n", "seq_len", "N_sup"), bare.guessed());
        Files.writeString(dir.resolve("all_config.yaml"), String.join("\n", "arch:", "  name: recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1",
                "  hidden_size: 16", "  num_heads: 4", "  L_layers: 1", "  H_cycles: 2", "  L_cycles: 3", "  halt_max_steps: 5",
                "  expansion: 4", "  pos_encodings: rope", "  puzzle_emb_ndim: 16", "  mlp_t: false", "lr: 0.0001", ""));
        Checkpoint.Loaded withYaml = Checkpoint.load(pt, Precision.FP32, Device.CPU, Map.of("seq_len", "30"));
        ModelConfig c = withYaml.network().config();
        assertEquals(List.of(4, 2, 3, 5, 30), List.of(c.heads(), c.T(), c.n(), c.nSup(), c.seqLen()));
        assertEquals(List.of(), withYaml.guessed());

        Files.writeString(dir.resolve("all_config.yaml"), "arch:\n  hidden_size: 32\n  num_heads: 4\n");
        CheckpointException contradicts = assertThrows(CheckpointException.class, () -> Checkpoint.load(pt, Precision.FP32, Device.CPU, Map.of()));
        assertTrue(contradicts.getMessage().contains("embed_tokens.embedding_weight has shape [12, 16], the configuration needs [12, 32]"),
                contradicts.getMessage());
        Files.writeString(dir.resolve("all_config.yaml"), "arch:\n  hidden_size: 16\n  pos_encodings: alibi\n");
        CheckpointException alibi = assertThrows(CheckpointException.class, () -> Checkpoint.load(pt, Precision.FP32, Device.CPU, Map.of()));
        assertEquals(dir.resolve("all_config.yaml").toAbsolutePath() + ": arch.pos_encodings alibi is not one of rope, learned, none",
                alibi.getMessage());
    }

    /** --set applies before the inferred configuration is checked: D = 12 is refused with 8 heads, loads with 4. */
    @Test
    void overridesApplyBeforeTheInferredConfigurationIsChecked(@TempDir Path dir) throws Exception {
        Natives.load();
        ModelConfig c = ModelConfig.builder().hiddenSize(12).heads(4).layers(1).seqLen(30).vocabSize(12).puzzleEmbLen(16).puzzleIds(3).build();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Network.init(c, Precision.FP32).tensors().forEach((k, v) -> tensors.put("_orig_mod.model.inner." + k, v));
        Path f = dir.resolve("d12.safetensors");
        Safetensors.write(f, tensors, Map.of());
        UserError e = assertThrows(UserError.class, () -> Checkpoint.load(f, Precision.FP32, Device.CPU, Map.of()));
        assertTrue(e.getMessage().contains("model.heads: must divide hidden_size 12"), e.getMessage());
        assertEquals(4, Checkpoint.load(f, Precision.FP32, Device.CPU, Map.of("heads", "4")).network().config().heads());
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
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(cut, Precision.FP32, Device.CPU, Map.of()));
        assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    /** PyTorch 2.x writes .data/serialization_id and a byteorder record beside data.pkl: read as before. */
    @Test
    void theLayoutOfPyTorch2IsRead(@TempDir Path dir) throws Exception {
        Natives.load();
        Path f = dir.resolve("torch2.pt");
        Files.write(f, Corpus.pt(4L, 0L, Corpus.tuple(2L, 2L), Corpus.tuple(2L, 1L), 16));
        Map<String, Tensor> t = TorchSave.read(f);
        assertEquals(List.of("w"), List.copyOf(t.keySet()));
        assertEquals("[2, 2]", Arrays.toString(Torch.shape(t.get("w"))));
        assertEquals(ScalarType.Float, t.get("w").scalar_type().intern());
    }
}
