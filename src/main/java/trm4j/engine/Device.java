package trm4j.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import trm4j.UserError;

/**
 * Where a model's tensors live: the CPU, or one CUDA device ({@code cuda:N}, which needs bytedeco's
 * GPU natives: the {@code -Pgpu} build, docs/ENGINE.md). A value passed like the
 * {@link Precision}: every tensor is made through {@link #options}, and data from the host
 * (tokens, checkpoints) is built on the CPU and {@link #put} here.
 */
public record Device(Kind kind, int index) {
    public enum Kind { CPU, CUDA }

    public static final Device CPU = new Device(Kind.CPU, 0);
    private static final Pattern SETTING = Pattern.compile("cpu|cuda(?::(\\d{1,4}))?");

    /** A setting's value (cpu, cuda, cuda:N) without touching libtorch; a wrong one names {@code field}. */
    public static Device parse(String setting, String field) {
        Matcher m = SETTING.matcher(setting == null ? "" : setting);
        if (!m.matches()) throw new UserError(field + ": '" + setting + "' is not a device (cpu, cuda or cuda:N)");
        return setting.equals("cpu") ? CPU : new Device(Kind.CUDA, m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
    }

    @JsonCreator
    static Device fromJson(String setting) {
        return parse(setting, "train.device");
    }

    /** This device when this build and this machine have it; else one line naming {@code field}, before any work. */
    public Device available(String field) {
        if (kind == Kind.CPU) return this;
        Natives.load();
        if (!Natives.gpuNatives())
            throw new UserError(field + ": '" + this + "' needs the GPU build of libtorch; this process has the CPU build "
                    + "(build with TRM4J_MAVEN_ARGS=-Pgpu, docs/ENGINE.md)");
        if (!torch.cuda_is_available())
            throw new UserError(field + ": '" + this + "': the GPU build of libtorch finds no usable CUDA GPU here (is the NVIDIA driver for "
                    + "CUDA 13, 580 or later, installed and nvidia-smi working? TORCH_CPP_LOG_LEVEL=WARNING shows libtorch's reason)");
        if (index >= torch.cuda_device_count())
            throw new UserError(field + ": '" + this + "': this machine has " + torch.cuda_device_count() + " CUDA device(s)");
        try (Scope s = Scope.open()) {   // a kernel of libtorch's own on this GPU: a GPU the natives were not built for fails here
            torch.ones(new long[] {8}, options(ScalarType.Float)).add(Torch.scalar(1.0)).sum().item_double();
        } catch (RuntimeException e) {
            throw new UserError(field + ": '" + this + "' cannot run libtorch's kernels (a GPU older than the CUDA architectures bytedeco's "
                    + "libtorch 2.10 natives are built for?): " + e.getMessage().lines().findFirst().orElse(""));
        }
        return this;
    }

    /** Waits until the device has finished what was queued on it (a host sync on CUDA; nothing on the CPU). Benchmarks time with it. */
    public void synchronize() {
        if (isCuda()) torch.cuda_synchronize();
    }

    public boolean isCuda() {
        return kind == Kind.CUDA;
    }

    /** The libtorch device type, for autocast. */
    DeviceType type() {
        return isCuda() ? DeviceType.CUDA : DeviceType.CPU;
    }

    /** Options for a tensor of this type here. */
    public TensorOptions options(ScalarType type) {
        TensorOptions o = new TensorOptions(type);
        return isCuda() ? o.device(new DeviceOptional(new org.bytedeco.pytorch.Device(DeviceType.CUDA, (byte) index))) : o;
    }

    /**
     * t on this device (t itself when it is here already). From host memory to a GPU it is a copy;
     * from pinned memory ({@link #hostOptions}) it does not wait for the copy to finish.
     */
    public Tensor put(Tensor t) {
        if (!isCuda()) return t.is_cpu() ? t : t.cpu();
        org.bytedeco.pytorch.Device d = new org.bytedeco.pytorch.Device(DeviceType.CUDA, (byte) index);
        return t.device().equals(d) ? t : t.to(d, t.scalar_type(), t.is_cpu() && t.is_pinned(), false, new MemoryFormatOptional());
    }

    /** Options for host memory that data bound here is built in: pinned for a GPU, so that its upload need not wait. */
    public TensorOptions hostOptions(ScalarType type) {
        TensorOptions o = Torch.hostOptions(type);
        return isCuda() ? o.pinned_memory(new BoolOptional(true)) : o;
    }

    /** "cpu", "cuda" (device 0) or "cuda:N", as settings spell it. */
    @JsonValue
    @Override public String toString() {
        return !isCuda() ? "cpu" : index == 0 ? "cuda" : "cuda:" + index;
    }
}
