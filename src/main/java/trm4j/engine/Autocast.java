package trm4j.engine;

import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Autocast region on the process's {@link Device} (libtorch has no ready guard in Java). Close it on the thread that opened it.
 */
public final class Autocast implements AutoCloseable {
    private static final Autocast NONE = new Autocast(false, false, null);

    private final boolean active;
    private final boolean wasEnabled;
    private final ScalarType previousType;

    private final DeviceType device;

    private Autocast(boolean active, boolean wasEnabled, ScalarType previousType) {
        this.device = Device.type();
        this.active = active;
        this.wasEnabled = wasEnabled;
        this.previousType = previousType;
    }

    public static Autocast none() {
        return NONE;
    }

    public static Autocast bf16() {
        DeviceType d = Device.type();
        boolean was = torch.is_autocast_enabled(d);
        ScalarType prev = torch.get_autocast_dtype(d);
        torch.set_autocast_enabled(d, true);
        torch.set_autocast_dtype(d, ScalarType.BFloat16);
        torch.increment_nesting();
        return new Autocast(true, was, prev);
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
