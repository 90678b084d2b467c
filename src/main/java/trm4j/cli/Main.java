package trm4j.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import trm4j.UserError;

/** The {@code trm4j} command line. User mistakes end in one line on stderr and exit status 2. */
@Command(name = "trm4j", mixinStandardHelpOptions = true, versionProvider = Version.class,
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
            if (e instanceof UserError) {
                cmd.getErr().println("trm4j: " + e.getMessage());
                return USER_ERROR;
            }
            if (e instanceof StopSignals.Stopped) {
                cmd.getErr().println("trm4j: " + e.getMessage());
                return ((StopSignals.Stopped) e).status;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("trm4j: " + e.getMessage() + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return USER_ERROR;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
