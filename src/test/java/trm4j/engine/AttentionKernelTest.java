package trm4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import trm4j.UserError;

class AttentionKernelTest {
    @Test
    void autoFusesWhereItMeasuredFasterAndTheOthersDoWhatTheySay() {
        for (boolean amx : new boolean[] {false, true}) {
            assertFalse(AttentionKernel.AUTO.fused(Precision.BF16, 32, false, amx));
            assertFalse(AttentionKernel.AUTO.fused(Precision.BF16, 256, false, amx));
            assertEquals(amx, AttentionKernel.AUTO.fused(Precision.BF16, 916, false, amx), "bf16 fuses long sequences on AMX only");
            assertTrue(AttentionKernel.AUTO.fused(Precision.FP32, 32, false, amx));
            assertTrue(AttentionKernel.AUTO.fused(Precision.FP64, 916, false, amx));
            // with gradient: fp32/fp64 at any length, never bf16
            assertTrue(AttentionKernel.AUTO.fused(Precision.FP32, 128, true, amx));
            assertTrue(AttentionKernel.AUTO.fused(Precision.FP32, 916, true, amx));
            assertTrue(AttentionKernel.AUTO.fused(Precision.FP64, 32, true, amx));
            assertFalse(AttentionKernel.AUTO.fused(Precision.BF16, 32, true, amx));
            assertFalse(AttentionKernel.AUTO.fused(Precision.BF16, 916, true, amx));
        }
        Device cuda = new Device(Device.Kind.CUDA, 0);
        for (Precision p : Precision.values()) {
            for (boolean grad : new boolean[] {false, true}) {
                assertTrue(AttentionKernel.AUTO.fused(cuda, p, 32, grad), "on CUDA, SDPA's fused kernels: " + p);
                for (Device d : new Device[] {Device.CPU, cuda}) {
                    assertTrue(AttentionKernel.FUSED.fused(d, p, 32, grad));
                    assertFalse(AttentionKernel.COMPOSED.fused(d, p, 916, grad));
                }
            }
        }
    }

    @Test
    void parsesTheEnvironmentValueAndRefusesOthersInOneLine() {
        assertEquals(AttentionKernel.FUSED, AttentionKernel.parse(" Fused "));
        assertEquals(AttentionKernel.COMPOSED, AttentionKernel.parse("composed"));
        UserError e = assertThrows(UserError.class, () -> AttentionKernel.parse("flash"));
        assertEquals("TRM4J_ATTENTION='flash' is not one of auto, fused, composed", e.getMessage());
    }
}
