package trm4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import trm4j.UserError;

class AttentionKernelTest {
    @Test
    void autoFusesOutsideBf16AndLongBf16SequencesOnAmxAndTheOthersDoWhatTheySay() {
        for (boolean amx : new boolean[] {false, true}) {
            assertFalse(AttentionKernel.AUTO.fusedWithoutGrad(Precision.BF16, 32, amx));
            assertFalse(AttentionKernel.AUTO.fusedWithoutGrad(Precision.BF16, 256, amx));
            assertEquals(amx, AttentionKernel.AUTO.fusedWithoutGrad(Precision.BF16, 916, amx), "bf16 fuses long sequences on AMX only");
            assertTrue(AttentionKernel.AUTO.fusedWithoutGrad(Precision.FP32, 32, amx));
            assertTrue(AttentionKernel.AUTO.fusedWithoutGrad(Precision.FP64, 916, amx));
            for (Precision p : Precision.values()) {
                assertTrue(AttentionKernel.FUSED.fusedWithoutGrad(p, 32, amx));
                assertFalse(AttentionKernel.COMPOSED.fusedWithoutGrad(p, 916, amx));
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
