package trm4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The public puzzle CSVs ({@code source,question,answer,rating}, a header line first). */
final class PuzzleCsv {
    /** A data line: its 1-based line number, question and answer. */
    record Row(int line, String question, String answer) {}

    private PuzzleCsv() {}

    static List<Row> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new DataError(file + ": no such file");
        } catch (IOException e) {
            throw new DataError(file + ": cannot read: " + e.getMessage());
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String[] f = lines.get(i).split(",", -1);
            if (f.length < 3) throw new DataError(file + ": line " + (i + 1) + ": expected source,question,answer,rating");
            rows.add(new Row(i + 1, f[1], f[2]));
        }
        return rows;
    }
}
