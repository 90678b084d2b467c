package trm4j.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import trm4j.Outputs;
import trm4j.data.ArcTask;
import trm4j.eval.ArcEval;
import trm4j.eval.Votes;

/** ARC answers as pictures: a PNG per test input and an index.html that says which were solved. */
public final class AnswerPages {
    private AnswerPages() {}

    /** @return the index page */
    public static Path write(ArcEval.Result r, Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>trm4j ARC answers</title></head>"
                + "<body style=\"font-family:sans-serif\"><h1>ARC answers</h1><p>Each image: the demonstrations; the test input, "
                + "attempt 1, attempt 2 and the truth; the answer of the original version after each supervision step.</p>");
        for (ArcEval.TestResult t : r.tests()) {
            List<Votes.Candidate> c = t.ranked();
            ArcTask task = r.task(t.taskId());
            // A task id comes from a file name or a JSON key: it names no path and reaches the page escaped.
            String name = t.taskId().replaceAll("[^A-Za-z0-9_.-]", "_").replaceFirst("^\\.", "_") + "-" + t.test() + ".png";
            TaskImages.write(TaskImages.answer(task, task.test().get(t.test()).input(), c.isEmpty() ? null : c.get(0).grid(),
                    c.size() < 2 ? null : c.get(1).grid(), t.truth(), t.path()), dir.resolve(name));
            boolean solved = t.truth() != null && Votes.passes(c, t.truth(), 2);
            html.append("<h3>").append(HtmlReport.escape(t.taskId())).append(" test ").append(t.test()).append(solved ? " (solved)" : "")
                    .append("</h3><img src=\"").append(name).append("\">");
        }
        Path page = dir.resolve("index.html");
        Outputs.writeAtomically(page, html.append("</body></html>\n").toString().getBytes(StandardCharsets.UTF_8));
        return page;
    }
}
