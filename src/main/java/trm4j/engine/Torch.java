package trm4j.engine;

import java.lang.ref.Reference;
import java.util.Arrays;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Small tensor helpers the rest of the code would otherwise repeat. The copies between Java arrays
 * and tensors are the host syncs of trm4j: each one that reads a tensor back ({@link #toDoubles},
 * {@link #toLongs}, {@link #item}) is counted by {@link HostSyncs}.
 */
public final class Torch {
    private Torch() {}

    public static void seed(long seed) {
        torch.manual_seed(seed);
    }

    /** Options for a tensor of this type in host memory, for data written or read through its pointer. */
    public static TensorOptions hostOptions(ScalarType type) {
        return new TensorOptions(type);
    }

    public static Scalar scalar(double v) {
        return new Scalar(v);
    }

    /** An integer scalar: with an integer tensor it keeps the tensor's type (a double one promotes it to float). */
    public static Scalar scalar(long v) {
        return new Scalar(v);
    }

    public static Tensor zeros(Device d, ScalarType type, long... shape) {
        return torch.zeros(shape, d.options(type));
    }

    /** A 0-dim float64 tensor on a device. */
    public static Tensor scalarTensor(Device d, double v) {
        return torch.full(new long[] {}, scalar(v), d.options(ScalarType.Double));
    }

    /** A tensor of these values in host memory (the CPU). */
    public static Tensor fromDoubles(double[] values, long... shape) {
        return fromDoubles(Device.CPU, values, shape);
    }

    public static Tensor fromLongs(long[] values, long... shape) {
        return fromLongs(Device.CPU, values, shape);
    }

    /**
     * A tensor of these values on a device: built in host memory (pinned for a GPU), then uploaded
     * ({@link Device#put}). Counted as an upload ({@link HostSyncs#uploads}), on the CPU too, where
     * it is no copy: the count says what a GPU would copy.
     */
    public static Tensor fromDoubles(Device d, double[] values, long... shape) {
        check(values.length, shape);
        HostSyncs.upload();
        Tensor t = torch.empty(shape, d.hostOptions(ScalarType.Double), null);
        t.data_ptr_double().put(values);
        return d.put(t);
    }

    public static Tensor fromLongs(Device d, long[] values, long... shape) {
        check(values.length, shape);
        HostSyncs.upload();
        Tensor t = torch.empty(shape, d.hostOptions(ScalarType.Long), null);
        t.data_ptr_long().put(values);
        return d.put(t);
    }

    /** A tensor's values as doubles, in row-major order: a host sync. */
    public static double[] toDoubles(Tensor t) {
        HostSyncs.count();
        Tensor c = t.detach().cpu().to(ScalarType.Double).contiguous();
        double[] out = new double[(int) c.numel()];
        c.data_ptr_double().get(out);
        return out;
    }

    /** A long tensor's values, in row-major order: a host sync. */
    public static long[] toLongs(Tensor t) {
        HostSyncs.count();
        Tensor c = t.cpu().contiguous();
        long[] out = new long[(int) c.numel()];
        c.data_ptr_long().get(out);
        return out;
    }

    /** A one-element tensor's value: a host sync. */
    public static double item(Tensor t) {
        HostSyncs.count();
        return t.item_double();
    }

    /**
     * A vector's tensors as handles of their own. {@code get(i)} points into the vector's memory,
     * and outside a scope the collector may free the vector while that handle is in use.
     */
    public static Tensor[] parts(TensorVector v) {
        Tensor[] out = new Tensor[(int) v.size()];
        for (int i = 0; i < out.length; i++) out[i] = new Tensor(v.get(i));
        Reference.reachabilityFence(v);
        return out;
    }

    public static long[] shape(Tensor t) {
        return t.sizes().vec().get();
    }

    private static void check(int length, long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        if (n != length) throw new IllegalArgumentException(length + " values for shape " + Arrays.toString(shape));
    }
}
