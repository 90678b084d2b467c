package trm4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** bench step --rounds: the spread of hand-made rounds and the cause it names. */
class SteadinessTest {
    private static List<StepBench.Result> rounds(double[] train, double[] others, double[] jvm) {
        List<StepBench.Result> out = new ArrayList<>();
        for (int i = 0; i < train.length; i++) out.add(new StepBench.Result(train[i], 10, 1, 1, 0, others[i], jvm[i]));
        return out;
    }

    private static List<StepBench.Result> rounds(double[] train, double[] others) {
        return rounds(train, others, new double[train.length]);
    }

    @Test
    void steadyRoundsSayNothingMore() {
        String line = StepBench.steadiness(rounds(new double[] {30, 31, 29, 33, 30}, new double[] {0, 0, 0, 0, 0}));
        assertEquals("steady max/median train 1.10, eval 1.00 (target <= 1.3)\n", line);
    }

    @Test
    void slowRoundsWithOtherProcessesNameThem() {
        String line = StepBench.steadiness(rounds(new double[] {30, 31, 228, 30, 227}, new double[] {0, 0.1, 1.0, 0, 0.9}));
        assertTrue(line.startsWith("steady max/median train 7.35, eval 1.00 (target <= 1.3): not steady; other processes took 0.95 cores in the slow rounds against 0.03"), line);
    }

    @Test
    void aBusyMachineThroughoutIsNamed() {
        String line = StepBench.steadiness(rounds(new double[] {30, 45, 30, 30}, new double[] {1.4, 1.4, 1.3, 1.3}));
        assertTrue(line.endsWith("other processes took 1.33 of " + Runtime.getRuntime().availableProcessors() + " cores throughout: measure alone\n"), line);
    }

    @Test
    void aCompilingJvmIsNamedBeforeOurThreads() {
        String line = StepBench.steadiness(rounds(new double[] {45, 30, 30, 30}, new double[] {0.02, 0, 0, 0}, new double[] {0.40, 0.01, 0, 0.02}));
        assertTrue(line.endsWith("this JVM's JIT compiler and garbage collector took 0.40 cores in the slow rounds against 0.01 in the rest\n"), line);
    }

    @Test
    void aQuietMachineAndJvmLeaveOurThreadsOrTheHost() {
        String line = StepBench.steadiness(rounds(new double[] {30, 30, 90, 30}, new double[] {0, 0, 0.05, 0}, new double[] {0, 0, 0.03, 0}));
        assertTrue(line.contains("neither other processes (0.05 cores in the slow rounds, steal included) nor the JVM's compiler and collector (0.03): this process's own"), line);
    }
}
