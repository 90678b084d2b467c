package trm4j.train;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.engine.Device;
import trm4j.engine.Group;
import trm4j.engine.Scope;
import trm4j.engine.Torch;

/**
 * Running sums of {@link Metric}s over one logging window, kept on the device: adding reads
 * nothing back, and {@link #drain} reads every sum at once, the one host sync of a logging window.
 * In a data-parallel run every rank adds the same metrics in the same order (a rank without a value
 * adds a count of 0), so that the windows can be summed over the ranks metric by metric.
 */
public final class Meter {
    private final Device device;
    private final Map<Metric, Tensor[]> sums = new LinkedHashMap<>();   // metric -> {sum, count}, float64, owned

    public Meter(Device device) {
        this.device = device;
    }

    /** Adds {@code value} to the name's sum and {@code count} to its count (0-dim tensors, any numeric type). */
    public void add(Metric metric, Tensor value, Tensor count) {
        Tensor[] s = sums.computeIfAbsent(metric, k -> new Tensor[] {zero(), zero()});
        s[0].add_(value.to(ScalarType.Double));
        s[1].add_(count.to(ScalarType.Double));
    }

    public void add(Metric metric, Tensor value, double count) {
        Tensor[] s = sums.computeIfAbsent(metric, k -> new Tensor[] {zero(), zero()});
        s[0].add_(value.to(ScalarType.Double));
        s[1].add_(Torch.scalar(count));
    }

    private Tensor zero() {
        return Scope.own(torch.zeros(new long[] {}, device.options(ScalarType.Double)));
    }

    /** Metric -> {sum, count} over all ranks; read in one copy. Clears the window. */
    public Map<Metric, double[]> drain(Group group) {
        Map<Metric, double[]> out = new LinkedHashMap<>();
        if (sums.isEmpty()) return out;
        double[] total;
        try (Scope scope = Scope.open()) {
            TensorVector v = new TensorVector();
            sums.values().forEach(s -> {
                v.push_back(s[0]);
                v.push_back(s[1]);
            });
            Tensor flat = torch.stack(v);
            group.allReduceSum(flat);
            total = Torch.toDoubles(flat);   // the window's host sync
        }
        int i = 0;
        for (Metric k : sums.keySet()) {
            out.put(k, new double[] {total[i], total[i + 1]});
            i += 2;
        }
        sums.values().forEach(s -> {
            s[0].close();
            s[1].close();
        });
        sums.clear();
        return out;
    }

    /** Two drained windows as one. */
    public static Map<Metric, double[]> plus(Map<Metric, double[]> a, Map<Metric, double[]> b) {
        if (a.isEmpty()) return b;
        Map<Metric, double[]> out = new LinkedHashMap<>();
        a.forEach((k, s) -> out.put(k, s.clone()));
        b.forEach((k, s) -> out.merge(k, s.clone(), (x, y) -> new double[] {x[0] + y[0], x[1] + y[1]}));
        return out;
    }

    /** The means of a drained window, leaving out what was never counted. */
    public static Map<Metric, Double> means(Map<Metric, double[]> drained) {
        Map<Metric, Double> out = new LinkedHashMap<>();
        drained.forEach((k, s) -> { if (s[1] > 0) out.put(k, s[0] / s[1]); });
        return out;
    }
}
