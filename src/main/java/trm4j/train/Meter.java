package trm4j.train;

import java.util.LinkedHashMap;
import java.util.Map;

import trm4j.engine.Group;

/**
 * Running means of named quantities over one logging window. In a data-parallel run every rank
 * adds the same names in the same order (a rank without a value adds a count of 0), so that the
 * windows can be summed over the ranks name by name.
 */
public final class Meter {
    private final Map<String, double[]> sums = new LinkedHashMap<>();

    public void add(String name, double value, double count) {
        double[] s = sums.computeIfAbsent(name, k -> new double[2]);
        s[0] += value;
        s[1] += count;
    }

    /** Name -> mean over all ranks; quantities that were never counted are left out. Clears the window. */
    public Map<String, Double> drain(Group group) {
        double[] flat = new double[2 * sums.size()];
        int i = 0;
        for (double[] s : sums.values()) {
            flat[i++] = s[0];
            flat[i++] = s[1];
        }
        double[] total = group.allReduceSum(flat);
        Map<String, Double> out = new LinkedHashMap<>();
        i = 0;
        for (String k : sums.keySet()) {
            if (total[i + 1] > 0) out.put(k, total[i] / total[i + 1]);
            i += 2;
        }
        sums.clear();
        return out;
    }
}
