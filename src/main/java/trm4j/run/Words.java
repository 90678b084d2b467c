package trm4j.run;

import java.nio.file.Path;

import trm4j.Shell;

/**
 * How a run's caller names its options in what the run tells: {@code trm4j train}'s flags, the
 * demo's (which resumes by itself), or the library's {@code TrainingSpec} methods, so that a
 * refusal says what to change where it was asked.
 */
public enum Words {
    CLI("--preset", "--out", "--resume", "--force", "--init"),
    DEMO("the demo's preset", "--out", "running the demo again", "another --out", "--init"),
    LIBRARY("the preset", "out folder", "resuming(true)", "forcing(true)", "withInit");

    public final String preset, out, resume, force, init;

    Words(String preset, String out, String resume, String force, String init) {
        this.preset = preset;
        this.out = out;
        this.resume = resume;
        this.force = force;
        this.init = init;
    }

    /** What starts a new run of {@code preset} from the weights of the run in {@code from}. */
    public String newRunFrom(String preset, Path from) {
        return this != LIBRARY ? "trm4j train --preset " + Shell.word(preset) + " --init " + Shell.word(from.toString()) + " --out NEW_FOLDER"
                : "TrainingSpec.of(\"" + preset + "\", Path.of(\"NEW_FOLDER\")).withInit(Path.of(\"" + from + "\"))";
    }

    /** A field set over the preset's ({@code root=data}). */
    public String setting(String field) {
        return this != LIBRARY ? "--set " + field : "the override " + field;
    }

    /** What starts the run in {@code out} over. */
    public String startsOver(Path out) {
        return this != LIBRARY ? "trm4j train ... --force --out " + Shell.word(out.toString()) : "the same TrainingSpec with forcing(true)";
    }

    /** What continues the run in {@code out}. */
    public String resumes(Path out) {
        return switch (this) {
            case CLI -> "trm4j train --resume --out " + Shell.word(out.toString());
            case DEMO -> "trm4j demo --out " + Shell.word(out.toString());
            case LIBRARY -> "the same TrainingSpec with resuming(true)";
        };
    }
}
