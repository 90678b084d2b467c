package trm4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import trm4j.UserError;

class AttentionKernelTest {
    @Test
    void autoFusesOnlyOutsideBf16AndTheOthersDoWhatTheySay() {
        assertFalse(AttentionKernel.AUTO.fusedWithoutGrad(Precision.BF16));
        assertTrue(AttentionKernel.AUTO.fusedWithoutGrad(Precision.FP32));
        assertTrue(AttentionKernel.AUTO.fusedWithoutGrad(Precision.FP64));
        for (Precision p : Precision.values()) {
            assertTrue(AttentionKernel.FUSED.fusedWithoutGrad(p));
            assertFalse(AttentionKernel.COMPOSED.fusedWithoutGrad(p));
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
