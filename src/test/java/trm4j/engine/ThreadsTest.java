package trm4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.openblas.global.openblas_nolapack;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorBase;
import org.bytedeco.pytorch.VoidTensorHook;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** The thread count follows the cores other processes leave idle. */
class ThreadsTest {
    @Test
    void takesTheIdleCoresAndAtLeastOne() {
        assertEquals(2, Threads.choose(2, 0.0));
        assertEquals(2, Threads.choose(2, 0.2));    // background noise keeps both cores
        assertEquals(1, Threads.choose(2, 0.67));   // `yes` sharing 2 cores with 2 threads of ours
        assertEquals(1, Threads.choose(2, 1.0));    // `yes` alone on a core
        assertEquals(1, Threads.choose(2, 2.0));
        assertEquals(1, Threads.choose(2, 5.0));
        assertEquals(61, Threads.choose(64, 3.0));
        assertEquals(1, Threads.choose(1, 0.0));
    }

    /** Records OpenBLAS's thread count whenever autograd reaches the tensor it hooks. */
    private static final class Probe extends VoidTensorHook {
        final List<Integer> seen = new ArrayList<>();

        @Override public void call(TensorBase grad) {
            seen.add(openblas_nolapack.blas_get_num_threads());
        }
    }

    /**
     * In backward, OpenBLAS runs on one thread from the hooked op's output to its inputs, and on
     * the threads of {@link Threads#current()} before and after (probes on the tensors around it).
     */
    @Test
    void backwardOfAHookedOpRunsOnOneBlasThread() {
        Natives.load();
        int threads = Threads.current();
        assertEquals(2, threads, "the suite runs with TRM4J_THREADS=2");
        Probe before = new Probe(), during = new Probe(), after = new Probe();
        int was = openblas_nolapack.blas_get_num_threads();
        try (Scope s = Scope.open()) {
            Tensor w = torch.randn(4, 4).requires_grad_(true);
            Tensor in = w.mul(Torch.scalar(2)), op = in.mul(in), out = op.mul(Torch.scalar(3));
            out.register_hook(before);
            Threads.hookSerialBlas(op, in);
            op.register_hook(during);   // hooks of one tensor run in the order they were registered
            in.register_hook(after);
            openblas_nolapack.blas_set_num_threads(threads);
            out.sum().backward();
        } finally {
            openblas_nolapack.blas_set_num_threads(was);
        }
        assertEquals(List.of(threads), before.seen);
        assertEquals(List.of(1), during.seen);
        assertEquals(List.of(threads), after.seen);
        before.close();
        during.close();
        after.close();
    }
}
