package trm4j.engine;

import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * CPU autocast region (libtorch has no ready guard in Java). Close it on the thread that opened it.
 */
public final class Autocast implements AutoCloseable {
    private static final Autocast NONE = new Autocast(false, false, null);

    private final boolean active;
    private final boolean wasEnabled;
    private final ScalarType previousType;

    private Autocast(boolean active, boolean wasEnabled, ScalarType previousType) {
        this.active = active;
        this.wasEnabled = wasEnabled;
        this.previousType = previousType;
    }

    public static Autocast none() {
        return NONE;
    }

    public static Autocast bf16() {
        boolean was = torch.is_autocast_enabled(DeviceType.CPU);
        ScalarType prev = torch.get_autocast_dtype(DeviceType.CPU);
        torch.set_autocast_enabled(DeviceType.CPU, true);
        torch.set_autocast_dtype(DeviceType.CPU, ScalarType.BFloat16);
        torch.increment_nesting();
        return new Autocast(true, was, prev);
    }

    @Override
    public void close() {
        if (!active) return;
        // The cast weights are cached per region; drop them so that the next region sees the
        // weights after the optimiser step.
        if (torch.decrement_nesting() == 0) torch.clear_cache();
        torch.set_autocast_enabled(DeviceType.CPU, wasEnabled);
        torch.set_autocast_dtype(DeviceType.CPU, previousType);
    }
}
