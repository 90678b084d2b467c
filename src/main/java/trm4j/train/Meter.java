package trm4j.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Running means of named quantities over one logging window. */
public final class Meter {
    private final Map<String, double[]> sums = new LinkedHashMap<>();

    public void add(String name, double value, double count) {
        double[] s = sums.computeIfAbsent(name, k -> new double[2]);
        s[0] += value;
        s[1] += count;
    }

    /** Name -> mean; quantities that were never counted are left out. Clears the window. */
    public Map<String, Double> drain() {
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((k, s) -> { if (s[1] > 0) out.put(k, s[0] / s[1]); });
        sums.clear();
        return out;
    }
}
