package trm4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import trm4j.UserError;

/** The CPU is the default and stays the device; CUDA is refused in one line by this CPU build. */
class DeviceTest {
    @Test
    void settingsAreCheckedBeforeLibtorch() {
        for (String ok : new String[] {"cpu", "cuda", "cuda:0", "cuda:12"}) Device.check(ok, "train.device");
        for (String bad : new String[] {"gpu", "CUDA", "cuda:", "cuda:x", "cpu:0", ""}) {
            UserError e = assertThrows(UserError.class, () -> Device.check(bad, "train.device"));
            assertEquals("train.device: '" + bad + "' is not a device (cpu, cuda or cuda:N)", e.getMessage());
        }
    }

    @Test
    void theCpuBuildRefusesCudaAndKeepsTheCpu() {
        Torch.init();
        assertFalse(Torch.gpuNatives(), "the tests run the CPU build");
        UserError e = assertThrows(UserError.class, () -> Device.use("cuda", "--device"));
        assertTrue(e.getMessage().startsWith("--device: 'cuda' needs a CUDA GPU and the GPU build of libtorch; this process has the CPU build"), e.getMessage());
        assertFalse(Device.isCuda());
        assertEquals("cpu", Device.name());
        Device.use("cpu", "--device");
        Tensor t = Torch.fromDoubles(new double[] {1, 2}, 2);
        assertTrue(t.is_cpu());
        assertSame(t, Device.put(t), "a tensor already on the device is not copied");
        assertTrue(Torch.zeros(org.bytedeco.pytorch.global.torch.ScalarType.Float, 3).is_cpu());
    }
}
