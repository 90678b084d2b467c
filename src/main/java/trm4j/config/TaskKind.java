package trm4j.config;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kinds of task a model is trained for (docs/METHOD.md section 1). */
public enum TaskKind {
    @JsonProperty("nqueens") NQUEENS,
    @JsonProperty("sudoku") SUDOKU,
    @JsonProperty("maze") MAZE,
    @JsonProperty("arc") ARC;

    /** The name presets and files use, or null for an unknown one. */
    public static TaskKind of(String name) {
        for (TaskKind k : values()) if (k.toString().equals(name)) return k;
        return null;
    }

    @Override public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
