package trm4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The held-out test inputs of an ARC run. Their tasks are among the training tasks (their
 * demonstrations were trained on, docs/METHOD.md section 1), so each test input is asked once per
 * augmented version of its task, with that version's puzzle id; evaluation votes over the answers.
 *
 * @param tasks    the training tasks, indexed as in {@code versions}
 * @param heldOut  indices of the tasks whose test pairs are evaluated
 * @param tests    per held-out task, its test pairs (outputs may be null when unknown)
 */
public record ArcEvalSet(List<ArcTask> tasks, int[] heldOut, List<List<ArcTask.Pair>> tests,
                         ArcVersions versions, int rows, int cols) {

    /** One question: test input {@code test} of held-out task {@code task} under {@code version}. */
    public record Query(int task, int test, int version, Sample sample) {}

    /** The questions for up to {@code perTask} versions of every held-out task, the original first. */
    public List<Query> queries(int perTask) {
        List<Query> out = new ArrayList<>();
        for (int h = 0; h < heldOut.length; h++) {
            int t = heldOut[h], first = versions.first(t), count = Math.min(perTask, versions.end(t) - first);
            for (int i = 0; i < tests.get(h).size(); i++) {
                ArcTask.Pair pair = tests.get(h).get(i);
                for (int v = first; v < first + count; v++) {
                    ArcTask one = new ArcTask("", "", List.of(), List.of(pair))
                            .transform(versions.dihedralOf(v), versions.coloursOf(v));
                    ArcTask.Pair p = one.test().get(0);
                    byte[] label = p.output() == null ? new byte[rows * cols] : ArcCanvas.encode(p.output(), 0, 0, rows, cols);
                    out.add(new Query(h, i, v, new Sample(ArcCanvas.encode(p.input(), 0, 0, rows, cols), label, ArcVersions.puzzleId(v))));
                }
            }
        }
        return out;
    }

    /** The same set cut to its first {@code n} held-out tasks (a quicker evaluation during training). */
    public ArcEvalSet first(int n) {
        if (n <= 0 || n >= heldOut.length) return this;
        return new ArcEvalSet(tasks, Arrays.copyOf(heldOut, n), tests.subList(0, n), versions, rows, cols);
    }

    public ArcTask original(int heldOutIndex) {
        ArcTask t = tasks.get(heldOut[heldOutIndex]);
        return new ArcTask(t.id(), t.source(), t.train(), tests.get(heldOutIndex));
    }
}
