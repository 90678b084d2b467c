package trm4j.api;

/** Told how long work goes: {@code done} of {@code total} steps. Called on the working thread; keep it quick. */
@FunctionalInterface
public interface Progress {
    void at(long done, long total);

    Progress NONE = (done, total) -> {};
}
