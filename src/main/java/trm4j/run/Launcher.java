package trm4j.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import sun.misc.Signal;

import trm4j.UserError;

/**
 * {@code --nproc N}: this very command as N local ranks, each a process with torchrun's
 * environment (RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT) and its share of the cores.
 * Rank 0 writes to the terminal; another rank's output is shown, with its rank, only when it
 * fails. The exit status is the worst rank's. No rank outlives the launcher: a rank whose
 * launcher is gone (its stdin closes) stops, and a failed rank stops the others.
 */
public final class Launcher {
    /** Set in a rank's environment: its stdin is the launcher's lifeline. */
    public static final String LIFELINE = "TRM4J_LAUNCHER_LIFELINE";
    /**
     * How long the other ranks get to end on their own once one has failed, and then to end on SIGTERM: short,
     * because a healthy rank fails by itself within TRM4J_DIST_TIMEOUT and every checkpoint write is atomic.
     */
    private static final long GRACE_MS = 3_000;
    private static final int KEPT_LINES = 40;

    private Launcher() {}

    /** Runs the command line without its --nproc option as {@code n} ranks; returns the exit status. */
    public static int run(int n, Class<?> main, List<String> commandLine) throws IOException, InterruptedException {
        if (n < 1) throw new UserError("--nproc " + n + ": must be at least 1");
        if (System.getenv("WORLD_SIZE") != null) throw new UserError("--nproc: this process is already a rank (WORLD_SIZE is set)");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> java = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) java.add("/usr/bin/setsid");   // Ctrl-C reaches the launcher alone, which passes it on once
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        java.add("-cp");
        java.add(System.getProperty("java.class.path"));
        java.add(main.getName());
        java.addAll(commandLine);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / n);
        System.err.printf("trm4j: %d ranks on this machine (MASTER_PORT %d), %d threads each%n", n, port, threads);

        List<Process> ranks = new ArrayList<>();
        List<Deque<String>> output = new ArrayList<>();
        Thread stdout = null;
        for (int r = 0; r < n; r++) {
            ProcessBuilder pb = new ProcessBuilder(java);
            Map<String, String> env = pb.environment();
            env.put("RANK", String.valueOf(r));
            env.put("LOCAL_RANK", String.valueOf(r));
            env.put("WORLD_SIZE", String.valueOf(n));
            env.put("LOCAL_WORLD_SIZE", String.valueOf(n));
            env.put("MASTER_ADDR", "127.0.0.1");
            env.put("MASTER_PORT", String.valueOf(port));
            env.putIfAbsent("TRM4J_THREADS", String.valueOf(threads));
            env.put(LIFELINE, "1");
            pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            Deque<String> kept = new ArrayDeque<>();
            if (r == 0) pb.redirectError(ProcessBuilder.Redirect.INHERIT);   // the progress bars
            else pb.redirectErrorStream(true);
            Process p = pb.start();
            if (r > 0) keep(p, kept);
            else stdout = passOn(p);
            ranks.add(p);
            output.add(kept);
        }
        int[] signalled = {0}, times = {0};
        for (String name : new String[] {"INT", "TERM"})
            Signal.handle(new Signal(name), s -> {
                signalled[0] = s.getNumber();
                times[0]++;
                if (times[0] == 1) System.err.println("\ntrm4j: SIG" + s.getName() + ": the ranks are asked to stop (SIGTERM) at a step they can resume from");
                // SIGTERM asks a rank to stop at a batch boundary, a second to stop at once, saying what is kept (through its handle:
                // Process.destroy would also close the lifeline); a third signal here kills them.
                for (Process p : ranks) if (times[0] > 2) p.destroyForcibly(); else p.toHandle().destroy();
            });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ranks.forEach(Process::destroyForcibly)));

        long failedAt = 0;
        boolean termSent = false;
        while (ranks.stream().anyMatch(Process::isAlive)) {
            Thread.sleep(100);
            boolean failed = ranks.stream().anyMatch(p -> !p.isAlive() && p.exitValue() != 0);
            if (failed && failedAt == 0) failedAt = System.currentTimeMillis();
            if (failedAt > 0 && !termSent && System.currentTimeMillis() - failedAt > GRACE_MS) {
                ranks.forEach(p -> p.toHandle().destroy());
                termSent = true;
            }
            if (termSent && System.currentTimeMillis() - failedAt > 2 * GRACE_MS) ranks.forEach(Process::destroyForcibly);
        }
        if (stdout != null) stdout.join(5_000);   // rank 0's last lines, before ours
        int worst = 0;
        for (int r = 0; r < n; r++) {
            int status = ranks.get(r).exitValue();
            boolean stopped = signalled[0] != 0 && (status == 128 + 15 || status == 128 + 2);   // as asked: no failure to report
            if (status != 0 && r > 0 && !stopped) {
                System.err.println("trm4j: rank " + r + " exited with status " + status + describe(status) + "; its last lines:");
                synchronized (output.get(r)) {
                    for (String line : output.get(r)) System.err.println("[rank " + r + "] " + line);
                }
            }
            worst = Math.max(worst, stopped ? 0 : status);
        }
        return signalled[0] != 0 && worst == 0 ? 128 + signalled[0] : worst;
    }

    private static String describe(int status) {
        return status == 137 ? " (killed by SIGKILL)" : status == 143 ? " (SIGTERM)" : status == 130 ? " (SIGINT)" : "";
    }

    /** Rank 0's standard output on ours, without Gloo's line about its connections. */
    private static Thread passOn(Process p) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) if (!line.startsWith("[Gloo] ")) System.out.println(line);
            } catch (IOException ignored) {
                // rank 0 is gone
            }
        }, "trm4j-rank-0-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Keeps a rank's last lines, to show if it fails. */
    private static void keep(Process p, Deque<String> kept) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (nativeFrame(line)) continue;
                    synchronized (kept) {
                        kept.addLast(line);
                        if (kept.size() > KEPT_LINES) kept.removeFirst();
                    }
                }
            } catch (IOException ignored) {
                // the rank is gone; what was read is kept
            }
        }, "trm4j-rank-output");
        t.setDaemon(true);
        t.start();
    }

    /** libtorch's own log and backtrace lines (c10d prints them before the rank's one-line error, which says it all). */
    static boolean nativeFrame(String line) {
        String t = line.stripLeading();
        return t.isEmpty() || t.startsWith("frame #") || t.startsWith("Exception raised from ") || C10_LOG.matcher(t).lookingAt();
    }

    private static final Pattern C10_LOG = Pattern.compile("\\[[EWI]\\d{4} ");

    /** In a rank started by a launcher: stop when the launcher is gone (its end of stdin closes). */
    public static void watchLifeline() {
        if (System.getenv(LIFELINE) == null) return;
        Thread t = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // nothing is sent; the read returns at the launcher's end
                }
            } catch (IOException ignored) {
                // a broken pipe is an end too
            }
            System.err.println("trm4j: rank " + System.getenv("RANK") + ": the launcher is gone; stopping");
            Runtime.getRuntime().halt(1);
        }, "trm4j-lifeline");
        t.setDaemon(true);
        t.start();
    }

    /** The command line without {@code --nproc N} (or {@code --nproc=N}). */
    public static List<String> without(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--nproc")) i++;
            else if (!a.startsWith("--nproc=")) out.add(a);
        }
        return out;
    }
}
