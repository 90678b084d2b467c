package trm4j.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.nccl.ProcessGroupNCCL;

import trm4j.UserError;

/**
 * The processes of a data-parallel run, on PyTorch's distributed engine (c10d): a TCPStore at
 * MASTER_ADDR:MASTER_PORT (rank 0 serves it) and a process group over it: Gloo on the CPU, NCCL on
 * CUDA (by the {@link Device} the process computes on). Rank and size
 * come from the environment as torchrun sets them (RANK, WORLD_SIZE) or SLURM does (SLURM_PROCID,
 * SLURM_NTASKS). A process alone is {@link #alone} ({@link #SINGLE} on the CPU), whose collectives do nothing.
 *
 * <p>Every collective waits at most the timeout (TRM4J_DIST_TIMEOUT seconds, default 300): a rank
 * that died or hangs ends the others with one line instead of a wait without end.
 */
public final class Group {
    public static final Group SINGLE = new Group(0, 1, null, null, 0, Device.CPU);
    public static final int DEFAULT_TIMEOUT_S = 300;

    private final int rank, size;
    private final TCPStore store;   // held: the group uses it for as long as it lives
    private final Backend backend;   // Gloo or NCCL
    private final long timeoutMs;
    private final Device device;   // where the collectives' tensors live

    private Group(int rank, int size, TCPStore store, Backend backend, long timeoutMs, Device device) {
        this.rank = rank;
        this.size = size;
        this.store = store;
        this.backend = backend;
        this.timeoutMs = timeoutMs;
        this.device = device;
    }

    /** A process alone, computing on {@code device}: its collectives do nothing. */
    public static Group alone(Device device) {
        return device.equals(Device.CPU) ? SINGLE : new Group(0, 1, null, null, 0, device);
    }

    public int rank() { return rank; }
    public int size() { return size; }
    public boolean isMain() { return rank == 0; }
    /** Where the group's collectives run: the device of its process. */
    public Device device() { return device; }

    private static Group current;

    /**
     * Every group joined, held until the process ends. The process group uses its store without
     * owning it, so the store must not be freed first; the garbage collector frees unreachable
     * objects in any order, and a store freed before its group corrupted the heap (a JVM abort in CI,
     * "corrupted double-linked list", reproduced by freeing the store first).
     */
    private static final List<Group> JOINED = Collections.synchronizedList(new ArrayList<>());

    /** The group of this process, computing on {@code device}: joined once from the environment, {@link #alone} without one. */
    public static synchronized Group current(Device device) {
        if (current == null || (current.size == 1 && !current.device.equals(device))) current = fromEnvironment(System.getenv(), device);
        return current;
    }

    /** The number of ranks the environment gives, without joining (1 for a process alone). */
    public static int environmentSize() {
        return integer(System.getenv(), sizeAndRank(System.getenv())[0], 1);
    }

    /** This process's rank as its environment gives it, without joining (0 for a process alone). */
    public static int environmentRank() {
        return integer(System.getenv(), sizeAndRank(System.getenv())[1], 0);
    }

    /** The variables that give the number of ranks and this one's: torchrun's where it set them, else SLURM's. */
    private static String[] sizeAndRank(Map<String, String> env) {
        return env.containsKey("WORLD_SIZE") ? new String[] {"WORLD_SIZE", "RANK"} : new String[] {"SLURM_NTASKS", "SLURM_PROCID"};
    }

    static Group fromEnvironment(Map<String, String> env, Device device) {
        String sizeVar = sizeAndRank(env)[0], rankVar = sizeAndRank(env)[1];
        if (!env.containsKey(sizeVar)) return alone(device);
        int size = integer(env, sizeVar, 1), rank = integer(env, rankVar, 0);
        if (size < 1) throw new UserError(sizeVar + "=" + size + ": must be at least 1");
        if (rank < 0 || rank >= size) throw new UserError(rankVar + "=" + rank + ": must be in 0.." + (size - 1) + " (" + sizeVar + "=" + size + ")");
        if (size == 1) return alone(device);
        String host = env.getOrDefault("MASTER_ADDR", "127.0.0.1");
        int port = integer(env, "MASTER_PORT", 29500);
        int timeout = integer(env, "TRM4J_DIST_TIMEOUT", DEFAULT_TIMEOUT_S);
        if (port < 1 || port > 65535) throw new UserError("MASTER_PORT=" + port + ": not a port");
        if (timeout < 1) throw new UserError("TRM4J_DIST_TIMEOUT=" + timeout + ": must be at least 1 (seconds)");
        return join(rank, size, host, port, timeout * 1000L, env.get("GLOO_SOCKET_IFNAME"), device);
    }

    private static int integer(Map<String, String> env, String name, int otherwise) {
        String v = env.get(name);
        if (v == null) return otherwise;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UserError(name + "=" + v + ": not a whole number");
        }
    }

    /** Joins a group: rank 0 serves the store, the others connect to it; all then connect to each other. */
    public static Group join(int rank, int size, String host, int port, long timeoutMs, String socketInterface, Device device) {
        Natives.load();
        String platform = Loader.getPlatform();
        if (!device.isCuda() && Group.class.getResource("/org/bytedeco/pytorch/" + platform + (Natives.gpuNatives() ? "-gpu" : "") + "/libjnitorch_gloo.so") == null)
            throw new UserError("rank " + rank + ": data-parallel runs need c10d's Gloo, which bytedeco builds for linux-x86_64 only; this is " + platform);
        TCPStoreOptions o = new TCPStoreOptions();
        o.port((short) port);
        o.isServer(rank == 0);
        o.waitWorkers(false);
        o.numWorkers(new SizeTPointer(1).put(size));
        o.timeout(new Milliseconds(timeoutMs));
        TCPStore store;
        // Either may wait the whole timeout, with libtorch's log lines off: said, so that a rank left alone is not a silent hang.
        if (rank != 0) System.err.printf("trm4j: rank %d connecting to the group's store at %s:%d (for up to %d s)%n", rank, host, port, timeoutMs / 1000);
        else System.err.printf("trm4j: rank 0 serving the group's store on port %d, waiting up to %d s for the other %d rank%s%n", port, timeoutMs / 1000,
                size - 1, size == 2 ? "" : "s");
        try {
            store = new TCPStore(host, o);
        } catch (RuntimeException e) {
            throw new UserError(rank == 0 ? "rank 0 cannot serve the group's store on port " + port + " (is it in use? set MASTER_PORT): " + firstLine(e)
                    : "rank " + rank + " cannot reach the group's store at " + host + ":" + port + " within " + timeoutMs / 1000 + " s: " + firstLine(e));
        }
        Backend backend;
        try {
            backend = device.isCuda() ? nccl(store, rank, size, timeoutMs) : gloo(store, rank, size, timeoutMs, host, socketInterface);
        } catch (RuntimeException e) {
            throw new UserError("rank " + rank + " of " + size + ": the other ranks did not all join within " + timeoutMs / 1000
                    + " s (is WORLD_SIZE right on every rank?): " + firstLine(e));
        }
        System.err.printf("trm4j: rank %d of %d joined (%s, store %s:%d, collective timeout %d s)%n", rank, size,
                device.isCuda() ? "NCCL on " + device : "Gloo", host, port, timeoutMs / 1000);
        Group g = new Group(rank, size, store, backend, timeoutMs, device);
        JOINED.add(g);
        return g;
    }

    private static Backend gloo(TCPStore store, int rank, int size, long timeoutMs, String host, String socketInterface) {
        ProcessGroupGloo.Options go = ProcessGroupGloo.Options.create(new Milliseconds(timeoutMs));
        boolean loopback = host.startsWith("127.") || host.equals("localhost");
        go.devices().push_back(socketInterface != null ? ProcessGroupGloo.createDeviceForInterface(socketInterface)
                : loopback ? ProcessGroupGloo.createDeviceForHostname("127.0.0.1") : ProcessGroupGloo.createDefaultDevice());
        return new ProcessGroupGloo(store, rank, size, go);
    }

    /** NCCL, for CUDA devices (not yet run on a GPU: bench/gpu/README.md). */
    private static Backend nccl(TCPStore store, int rank, int size, long timeoutMs) {
        ProcessGroupNCCL.Options no = ProcessGroupNCCL.Options.create();
        no.timeout(new Milliseconds(timeoutMs));
        return new ProcessGroupNCCL(store, rank, size, no);
    }

    /** Sums a tensor over the ranks, in place. */
    public void allReduceSum(Tensor t) {
        if (size > 1) await(backend.allreduce(new TensorVector(t)), "all-reduce");
    }

    /** Sums values over the ranks. */
    public double[] allReduceSum(double... v) {
        if (size == 1) return v;
        Tensor t = Torch.fromDoubles(device, v, v.length);
        allReduceSum(t);
        return Torch.toDoubles(t);
    }

    /** Every rank's tensor (all of the same shape), concatenated along the first axis in rank order. */
    public Tensor allGather(Tensor t) {
        if (size == 1) return t;
        Tensor in = t.contiguous();
        long[] shape = Torch.shape(in);
        shape[0] *= size;
        Tensor out = torch.empty(shape, in.options(), null);
        await(backend._allgather_base(out, in), "all-gather");
        return out;
    }

    /** Every rank's values (all of one length), concatenated in rank order: an upload and a read-back. */
    public double[] allGather(double[] v) {
        if (size == 1) return v;
        return Torch.toDoubles(allGather(Torch.fromDoubles(device, v, v.length)));
    }

    /** Rank 0's values of a tensor on every rank, in place. */
    public void broadcast(Tensor t) {
        if (size > 1) await(backend.broadcast(new TensorVector(t)), "broadcast");
    }

    private void await(Work w, String what) {
        try {
            w._wait();
        } catch (RuntimeException e) {
            throw new UserError("rank " + rank + " of " + size + ": the group failed in " + what + " (another rank died, or hung past the "
                    + timeoutMs / 1000 + " s timeout): " + firstLine(e));
        }
    }

    /** The first line of a c10d message, without the source location it starts with. */
    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).replaceFirst("^\\[[^\\]]*\\.(cc|cpp|h):\\d+\\]\\s*", "");
    }
}
