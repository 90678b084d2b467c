package trm4j.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/** The data kinds found by {@link ServiceLoader}, loaded once; a name taken twice is refused. */
final class FoundKinds {
    static final List<DataKind> ALL = load();

    private FoundKinds() {}

    private static List<DataKind> load() {
        List<DataKind> out = new ArrayList<>();
        Set<String> names = new HashSet<>(DataConfig.BUILT_IN);
        for (DataKind k : ServiceLoader.load(DataKind.class)) {
            if (!names.add(k.name()))
                throw new IllegalStateException(k.getClass().getName() + ": the data kind '" + k.name() + "' is taken by another kind");
            out.add(k);
        }
        return List.copyOf(out);
    }
}
