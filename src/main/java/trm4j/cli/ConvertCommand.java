package trm4j.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import trm4j.Outputs;
import trm4j.UserError;
import trm4j.checkpoint.Checkpoint;
import trm4j.config.Json;
import trm4j.engine.Device;
import trm4j.engine.Natives;
import trm4j.engine.Precision;

@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert a reference PyTorch checkpoint to trm4j's safetensors.",
                "Reads a torch.save state dict as the reference trainers write it (with or without the _orig_mod., "
                + "model. and model.inner. prefixes; fp32, bf16 or fp16; files over 2 GB streamed) or a safetensors "
                + "export, infers the configuration from the shapes (--set applies before the checks), and writes OUT "
                + "with the configuration in its metadata. info, eval and solve also read such files directly."})
final class ConvertCommand implements Callable<Integer> {
    @Parameters(paramLabel = "IN", description = "a torch.save checkpoint (.pt, .pth, or a step_N file) or a safetensors file") Path in;
    @Option(names = "--out", required = true, paramLabel = "OUT", description = "the safetensors file to write") Path out;
    @Mixin Options.Overrides set;

    @Override
    public Integer call() throws Exception {
        Outputs.file(out, "--out");
        Natives.tuneProcess();
        Checkpoint.Loaded loaded = Checkpoint.load(in, Precision.FP32, Device.CPU, set.overrides);
        if (!loaded.inferred())   // rewriting it would drop what else its metadata says (the run's data and method)
            throw new UserError(in + ": already trm4j's (its metadata holds " + Checkpoint.CONFIG_KEY + "): info, eval and solve read it as it is");
        Main.noteGuessed(in, loaded.guessed());
        Checkpoint.save(loaded.network(), out, Map.of("trm4j.converted_from", in.getFileName().toString()));
        System.out.printf("wrote %s: %d parameters, model %s%n", out, loaded.network().parameterCount(), Json.MAPPER.writeValueAsString(loaded.network().config()));
        return 0;
    }
}
