package trm4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import trm4j.UserError;

/** Joining a group from torchrun's or SLURM's environment: what is refused, in one line, before any wait. */
class GroupTest {
    @Test
    void noRanksInTheEnvironmentOrAWorldOfOneIsAProcessAlone() {
        assertSame(Group.SINGLE, Group.fromEnvironment(Map.of(), Device.CPU));
        assertSame(Group.SINGLE, Group.fromEnvironment(Map.of("WORLD_SIZE", "1", "RANK", "0"), Device.CPU));
        assertSame(Group.SINGLE, Group.fromEnvironment(Map.of("SLURM_NTASKS", "1", "SLURM_PROCID", "0"), Device.CPU));
        Device cuda = new Device(Device.Kind.CUDA, 1);
        assertEquals(cuda, Group.fromEnvironment(Map.of(), cuda).device(), "a process alone on a GPU keeps its collectives' tensors there");
    }

    @Test
    void aWrongRankSizePortOrTimeoutIsOneLine() {
        String[][] bad = {{"WORLD_SIZE", "2", "RANK", "2"}, {"WORLD_SIZE", "two", "RANK", "0"}, {"WORLD_SIZE", "0", "RANK", "0"},
                {"SLURM_NTASKS", "4", "SLURM_PROCID", "-1"}, {"WORLD_SIZE", "2", "RANK", "1", "MASTER_PORT", "70000"},
                {"WORLD_SIZE", "2", "RANK", "1", "TRM4J_DIST_TIMEOUT", "0"}};
        for (String[] kv : bad) {
            Map<String, String> env = new HashMap<>();
            for (int i = 0; i < kv.length; i += 2) env.put(kv[i], kv[i + 1]);
            UserError e = assertThrows(UserError.class, () -> Group.fromEnvironment(env, Device.CPU), env.toString());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void anUnreachableMasterEndsWithinTheTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // It gives up instead of waiting for ever (with TRM4J_DIST_TIMEOUT=2; a generous bound, not a speed).
        UserError e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(UserError.class, () -> Group.fromEnvironment(
                Map.of("WORLD_SIZE", "2", "RANK", "1", "MASTER_PORT", String.valueOf(port), "TRM4J_DIST_TIMEOUT", "2"), Device.CPU)));
        assertTrue(e.getMessage().startsWith("rank 1 cannot reach the group's store at 127.0.0.1:" + port), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'));
    }

    /**
     * The collector frees unreachable objects in any order, and a store freed before its process
     * group corrupts the heap: a joined group is never collected, even when nothing refers to it.
     */
    @Test
    void aGroupNobodyHoldsIsNotCollected() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<WeakReference<Group>>> ranks = new ArrayList<>();
        try {
            for (int r = 0; r < 2; r++) {
                int rank = r;
                ranks.add(pool.submit(() -> {
                    Group g = Group.join(rank, 2, "127.0.0.1", port, 30_000, null, Device.CPU);
                    assertEquals(3.0, g.allReduceSum(rank + 1.0)[0]);
                    return new WeakReference<>(g);
                }));
            }
            List<WeakReference<Group>> refs = new ArrayList<>();
            for (Future<WeakReference<Group>> f : ranks) refs.add(f.get());
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(20);
            }
            for (WeakReference<Group> ref : refs) assertTrue(ref.get() != null, "a joined group was collected");
        } finally {
            pool.shutdownNow();
        }
    }
}
