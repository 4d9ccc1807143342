package org.sessioncluster.ctl.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sessioncluster.ctl.compare.MemoryLadderRun;
import org.sessioncluster.load.report.MemoryLadder;

/**
 * Benchmark, not a test (run with {@code scripts/bench-memory-ladder.sh}): the memory ladder of
 * {@link MemoryLadderRun} with longer rounds than the comparison gives it. Files and Redis's log under
 * {@code target/bench/} (the project's device). Writes {@code target/bench/memory-ladder.json} and {@code .md}.
 */
@Tag("bench")
class MemoryLadderBenchmark {
    @Test
    void saveAndLoadOneSessionOnEachRung() throws Exception {
        Path out = Path.of("target", "bench", "memory-ladder.json");
        MemoryLadder ladder = new MemoryLadderRun(
                        out.resolveSibling("memory-ladder"),
                        Integer.getInteger("bench.rounds", 5),
                        Duration.ofSeconds(Integer.getInteger("bench.seconds", 2)),
                        Integer.getInteger("bench.payload", 1024),
                        System.out::println)
                .run();
        Files.createDirectories(out.getParent());
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.valueToTree(ladder);
        root.put("finding", ladder.finding());
        json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
        String md = ladder.markdown("`scripts/bench-memory-ladder.sh`");
        Files.writeString(out.resolveSibling("memory-ladder.md"), md);
        System.out.print(md);
        System.out.println("results: " + out.toAbsolutePath());
    }
}
