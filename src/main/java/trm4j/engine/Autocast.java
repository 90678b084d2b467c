package trm4j.engine;

import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * An autocast region on a {@link Device} (libtorch has no ready guard in Java). Autocast is per
 * thread in libtorch: close it on the thread that opened it.
 */
public final class Autocast implements AutoCloseable {
    private static final Autocast NONE = new Autocast(DeviceType.CPU, false, false, null);

    private final boolean active;
    private final boolean wasEnabled;
    private final ScalarType previousType;

    private final DeviceType device;

    private Autocast(DeviceType device, boolean active, boolean wasEnabled, ScalarType previousType) {
        this.device = device;
        this.active = active;
        this.wasEnabled = wasEnabled;
        this.previousType = previousType;
    }

    public static Autocast none() {
        return NONE;
    }

    public static Autocast bf16(Device on) {
        DeviceType d = on.type();
        boolean was = torch.is_autocast_enabled(d);
        ScalarType prev = torch.get_autocast_dtype(d);
        torch.set_autocast_enabled(d, true);
        torch.set_autocast_dtype(d, ScalarType.BFloat16);
        torch.increment_nesting();
        return new Autocast(d, true, was, prev);
    }

    @Override
    public void close() {
        if (!active) return;
        // The cast weights are cached per region; drop them so that the next region sees the
        // weights after the optimiser step.
        if (torch.decrement_nesting() == 0) torch.clear_cache();
        torch.set_autocast_enabled(device, wasEnabled);
        torch.set_autocast_dtype(device, previousType);
    }
}
