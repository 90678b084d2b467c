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
 * Running sums of named quantities over one logging window, kept on the device: adding reads
 * nothing back, and {@link #drain} reads every sum at once, the one host sync of a logging window.
 * In a data-parallel run every rank adds the same names in the same order (a rank without a value
 * adds a count of 0), so that the windows can be summed over the ranks name by name.
 */
public final class Meter {
    private final Device device;
    private final Map<String, Tensor[]> sums = new LinkedHashMap<>();   // name -> {sum, count}, float64, owned

    public Meter(Device device) {
        this.device = device;
    }

    /** Adds {@code value} to the name's sum and {@code count} to its count (0-dim tensors, any numeric type). */
    public void add(String name, Tensor value, Tensor count) {
        Tensor[] s = sums.computeIfAbsent(name, k -> new Tensor[] {zero(), zero()});
        s[0].add_(value.to(ScalarType.Double));
        s[1].add_(count.to(ScalarType.Double));
    }

    public void add(String name, Tensor value, double count) {
        Tensor[] s = sums.computeIfAbsent(name, k -> new Tensor[] {zero(), zero()});
        s[0].add_(value.to(ScalarType.Double));
        s[1].add_(Torch.scalar(count));
    }

    private Tensor zero() {
        return Scope.own(torch.zeros(new long[] {}, device.options(ScalarType.Double)));
    }

    /** Name -> sum over all ranks, and name + "/count" -> its count; read in one copy. Clears the window. */
    public Map<String, double[]> drain(Group group) {
        Map<String, double[]> out = new LinkedHashMap<>();
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
        for (String k : sums.keySet()) {
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
    public static Map<String, double[]> plus(Map<String, double[]> a, Map<String, double[]> b) {
        if (a.isEmpty()) return b;
        Map<String, double[]> out = new LinkedHashMap<>();
        a.forEach((k, s) -> out.put(k, s.clone()));
        b.forEach((k, s) -> out.merge(k, s.clone(), (x, y) -> new double[] {x[0] + y[0], x[1] + y[1]}));
        return out;
    }

    /** The means of a drained window, leaving out what was never counted. */
    public static Map<String, Double> means(Map<String, double[]> drained) {
        Map<String, Double> out = new LinkedHashMap<>();
        drained.forEach((k, s) -> { if (s[1] > 0) out.put(k, s[0] / s[1]); });
        return out;
    }
}
