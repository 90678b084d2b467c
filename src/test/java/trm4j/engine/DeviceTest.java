package trm4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import trm4j.UserError;

/** Device settings are values checked before any work; CUDA is refused in one line by this CPU build. */
class DeviceTest {
    @Test
    void settingsAreCheckedBeforeLibtorch() {
        assertEquals(Device.CPU, Device.parse("cpu", "train.device"));
        assertEquals(new Device(Device.Kind.CUDA, 0), Device.parse("cuda", "train.device"));
        assertEquals("cuda:12", Device.parse("cuda:12", "train.device").toString());
        assertEquals("cuda", Device.parse("cuda:0", "train.device").toString(), "device 0 as settings spell it");
        for (String bad : new String[] {"gpu", "CUDA", "cuda:", "cuda:x", "cpu:0", "", "cuda:123456"}) {
            UserError e = assertThrows(UserError.class, () -> Device.parse(bad, "train.device"));
            assertEquals("train.device: '" + bad + "' is not a device (cpu, cuda or cuda:N)", e.getMessage());
        }
    }

    @Test
    void theCpuBuildRefusesCudaAndKeepsTensorsOnTheCpu() {
        Natives.load();
        assertFalse(Natives.gpuNatives(), "the tests run the CPU build");
        UserError e = assertThrows(UserError.class, () -> Device.parse("cuda", "--device").available("--device"));
        assertTrue(e.getMessage().startsWith("--device: 'cuda' needs the GPU build of libtorch; this process has the CPU build"), e.getMessage());
        Tensor t = Torch.fromDoubles(new double[] {1, 2}, 2);
        assertTrue(t.is_cpu());
        assertSame(t, Device.CPU.put(t), "a tensor already on the device is not copied");
        assertTrue(Torch.zeros(Device.CPU, ScalarType.Float, 3).is_cpu());
    }
}
