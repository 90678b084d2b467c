package trm4j.cli;

import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

import trm4j.DidYouMean;
import trm4j.Outputs;
import trm4j.UserError;
import trm4j.api.Trm4jException;
import trm4j.config.Presets;
import trm4j.engine.OutOfMemory;
import trm4j.run.Launcher;
import trm4j.run.StopSignals;

/** The {@code trm4j} command line. User mistakes end in one line on stderr and exit status 2. */
@Command(name = "trm4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Tiny Recursive Models (TRM) and Deep Improvement Supervision (DIS) on libtorch.",
        subcommands = {DemoCommand.class, TrainCommand.class, EvalCommand.class, SolveCommand.class, ServeCommand.class, ReportCommand.class, InfoCommand.class, ConvertCommand.class, DataCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int USER_ERROR = 2;

    public static void main(String[] args) {
        Launcher.watchLifeline();
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UserError || e instanceof Trm4jException) {
                cmd.getErr().println("trm4j: " + flagged(e.getMessage(), cmd.getCommandSpec()));
                return USER_ERROR;
            }
            if (e instanceof StopSignals.Stopped) {
                cmd.getErr().println("trm4j: " + e.getMessage());
                return ((StopSignals.Stopped) e).status;
            }
            // The machine's side (a full disk, a file that went away): one line, not a trace.
            if (Outputs.diskFull(e)) {
                cmd.getErr().println("trm4j: no space left on the disk (" + e.getMessage() + "); what was written before is whole: free space and run again");
                return USER_ERROR;
            }
            String memory = OutOfMemory.describe(e);
            if (memory != null) return outOfMemory(cmd.getErr(), memory, cmd.getCommandName());
            for (Throwable c = e; c != null; c = c.getCause())
                if (c instanceof FileSystemException f) {
                    cmd.getErr().println("trm4j: " + UserError.oneLine((f.getFile() == null ? "" : f.getFile() + ": ") + Outputs.reason(f)
                            + (f.getOtherFile() == null ? "" : " (" + f.getOtherFile() + ")")));
                    return USER_ERROR;
                }
            throw e;
        });
        cli.setParameterExceptionHandler((given, a) -> {
            CommandLine.ParameterException e = given;
            // A misspelt required flag is also unmatched: the misspelling is the mistake to name, with its near names.
            if (e instanceof CommandLine.MissingParameterException && e.getCommandLine().getUnmatchedArguments().stream().anyMatch(u -> u.startsWith("--")))
                e = new CommandLine.UnmatchedArgumentException(e.getCommandLine(), e.getCommandLine().getUnmatchedArguments());
            PrintWriter err = e.getCommandLine().getErr();
            err.println("trm4j: " + said(e.getMessage()) + nearMiss(e) + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return USER_ERROR;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {   // an Error passes picocli's handler by
            CommandLine.ParseResult parsed = cli.getParseResult();
            while (parsed != null && parsed.subcommand() != null) parsed = parsed.subcommand();
            return outOfMemory(cli.getErr(), OutOfMemory.describe(e), parsed == null ? "" : parsed.commandSpec().name());
        }
    }

    /** A want of memory: one line, and what the command asks for less with. */
    private static int outOfMemory(PrintWriter err, String what, String command) {
        String less = switch (command) {
            case "train", "demo" -> "; --set micro_batch=N trains the same batches in parts and needs less, as does a smaller batch or model";
            case "eval", "solve" -> "; a smaller --batch needs less";
            default -> "";
        };
        err.println("trm4j: out of memory: " + what + less);
        return USER_ERROR;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** picocli's words where they stumble: a map option's value without '=' is said as the other refusals of --set are. */
    private static String said(String message) {
        return message.replaceFirst("^Value for option option '(--[a-z-]+)' \\(KEY=VALUE\\) should be in KEY=VALUE format but was (.*)$", "$1 $2: expected KEY=VALUE");
    }

    /** A mistyped flag or command: the command's own names near it; a command group named alone: its commands. */
    private static String nearMiss(CommandLine.ParameterException e) {
        CommandLine.Model.CommandSpec spec = e.getCommandLine().getCommandSpec();
        if (e.getMessage().startsWith("Missing required subcommand")) return ": " + String.join(", ", spec.subcommands().keySet());
        if (!(e instanceof CommandLine.UnmatchedArgumentException u)) return "";
        return DidYouMean.ofArgument(u.getUnmatched(), spec.optionsMap().keySet(), spec.subcommands().keySet(),
                spec.optionsMap().containsKey("--set") ? Presets.overrideKeys() : List.of());
    }

    /**
     * An error of the API that begins with a field the user set by a flag names the flag: "noise_y: ..." is "--noise-y: ...",
     * and "ks ..." is "--pass ..." (the flag's Java field is the API's). A flag not given leaves the message alone (a path
     * that happens to be called "out" stays a path).
     */
    static String flagged(String message, CommandLine.Model.CommandSpec spec) {
        String field = message == null ? "" : message.split("[ :]", 2)[0];
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        return given == null || field.isEmpty() ? message : given.matchedOptions().stream().filter(o -> names(o, field)).findFirst()
                .map(o -> o.longestName() + message.substring(field.length())).orElse(message);
    }

    private static boolean names(CommandLine.Model.OptionSpec flag, String field) {
        return flag.longestName().equals("--" + field.replace('_', '-')) || flag.userObject() instanceof Field f && f.getName().equalsIgnoreCase(field.replace("_", ""));
    }

    /** The model fields a reference checkpoint did not give, on stderr, so that nothing is guessed silently. */
    static void noteGuessed(Path file, List<String> fields) {
        if (!fields.isEmpty())
            System.err.println("trm4j: " + file + ": neither the weights nor an all_config.yaml beside them give "
                    + String.join(", ", fields) + ": the reference defaults are used (set them with --set)");
    }

    static final class Version implements IVersionProvider {
        @Override public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"trm4j " + (v == null ? "dev" : v) + " (libtorch 2.10 via bytedeco)"};
        }
    }
}
