package trm4j.bench;

import org.bytedeco.pytorch.global.torch;

import trm4j.engine.Cpu;
import trm4j.engine.Device;
import trm4j.engine.PrecisionChoice;
import trm4j.engine.PrecisionSetting;
import trm4j.engine.Threads;

/** What every benchmark prints first: the CPU, the kernels libtorch picks, the threads and the malloc. */
public final class Machine {
    private Machine() {}

    public static String header() {
        return "cpu: " + Cpu.current().describe() + "\n" + String.format("engine: aten %s, onednn %s, %d threads (%s), malloc %s; auto precision: %s%n",
                torch.get_cpu_capability().getString(), Cpu.current().oneDnnIsa(), Threads.current(),
                Threads.adaptive() ? "following the load" : "TRM4J_THREADS", StepBench.allocator(),
                PrecisionChoice.of(PrecisionSetting.AUTO, Device.CPU).line().substring("precision: ".length()));
    }
}
