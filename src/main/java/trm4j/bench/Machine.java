package trm4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.bytedeco.pytorch.global.torch;

import trm4j.engine.Cpu;
import trm4j.engine.Device;
import trm4j.engine.PrecisionChoice;
import trm4j.engine.PrecisionSetting;
import trm4j.engine.Threads;

/** What every benchmark prints first: the CPU, the kernels libtorch picks, the threads and the malloc; the GPU when it runs on one. */
public final class Machine {
    private Machine() {}

    public static String header(Device d) {
        String gpu = !d.isCuda() ? "" : String.format("gpu: %s, %s of %d CUDA device(s), cuDNN %s%n", gpuModel(d.index()), d, torch.cuda_device_count(),
                torch.cudnn_is_available() ? "available" : "not available");
        return "cpu: " + Cpu.current().describe() + "\n" + gpu + String.format("engine: aten %s, onednn %s, %d threads (%s), malloc %s; auto precision: %s%n",
                torch.get_cpu_capability().getString(), Cpu.current().oneDnnIsa(), Threads.current(),
                Threads.adaptive() ? "following the load" : "TRM4J_THREADS", StepBench.allocator(),
                PrecisionChoice.of(PrecisionSetting.AUTO, d).line().substring("precision: ".length()));
    }

    /** The GPU's model as the NVIDIA driver reports it (Linux), else "an NVIDIA GPU". */
    static String gpuModel(int index) {
        try (Stream<Path> gpus = Files.list(Path.of("/proc/driver/nvidia/gpus"))) {
            List<Path> sorted = gpus.sorted().toList();
            if (index < sorted.size())
                for (String line : Files.readAllLines(sorted.get(index).resolve("information")))
                    if (line.startsWith("Model:")) return line.substring("Model:".length()).trim();
        } catch (IOException e) {
            // not Linux, or no NVIDIA driver: nothing more to say
        }
        return "an NVIDIA GPU";
    }
}
