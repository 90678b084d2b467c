package trm4j.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;

import trm4j.UserError;

/**
 * Where a process computes: {@code cpu} (the default) or {@code cuda} / {@code cuda:N}, which needs
 * bytedeco's GPU natives (the {@code -Pgpu} build, README "GPUs"). Chosen once per process before
 * the first tensor; {@link Torch#options} and {@link #put} read it, so every tensor trm4j makes lands
 * here, and data from the host (tokens, checkpoints) is built on the CPU and moved.
 */
public final class Device {
    private static final Pattern SETTING = Pattern.compile("cpu|cuda(?::(\\d+))?");

    private static volatile org.bytedeco.pytorch.Device current;   // null: the CPU
    private static volatile String name = "cpu";

    private Device() {}

    /** Checks a setting's spelling without touching libtorch (for configurations); its parts. */
    public static Matcher check(String setting, String field) {
        Matcher m = SETTING.matcher(setting);
        if (!m.matches()) throw new UserError(field + ": '" + setting + "' is not a device (cpu, cuda or cuda:N)");
        return m;
    }

    /**
     * Makes {@code setting} the process's device. A CUDA device that this build or this machine does
     * not have is one line, before any work.
     */
    public static synchronized void use(String setting, String field) {
        Matcher m = check(setting, field);
        if (setting.equals("cpu")) {
            current = null;
            name = "cpu";
            return;
        }
        Torch.init();
        if (!torch.cuda_is_available())
            throw new UserError(field + ": '" + setting + "' needs a CUDA GPU and the GPU build of libtorch; this process has "
                    + (Torch.gpuNatives() ? "the GPU build but sees no GPU" : "the CPU build (build with TRM4J_MAVEN_ARGS=-Pgpu, README \"GPUs\")"));
        int index = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        if (index >= torch.cuda_device_count())
            throw new UserError(field + ": '" + setting + "': this machine has " + torch.cuda_device_count() + " CUDA device(s)");
        current = new org.bytedeco.pytorch.Device(DeviceType.CUDA, (byte) index);
        name = "cuda:" + index;
    }

    public static boolean isCuda() {
        return current != null;
    }

    /** "cpu" or "cuda:N". */
    public static String name() {
        return name;
    }

    /** The libtorch device type, for autocast. */
    static DeviceType type() {
        return current == null ? DeviceType.CPU : DeviceType.CUDA;
    }

    /** The process's device, or null for the CPU (libtorch's default). */
    static org.bytedeco.pytorch.Device torchDevice() {
        return current;
    }

    /** t on the process's device (t itself when it is there already). */
    public static Tensor put(Tensor t) {
        org.bytedeco.pytorch.Device d = current;
        return d == null || t.device().equals(d) ? t : t.to(d, t.scalar_type());
    }
}
