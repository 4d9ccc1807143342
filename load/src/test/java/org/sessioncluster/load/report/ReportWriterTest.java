package org.sessioncluster.load.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.load.LoadSummary;
import org.sessioncluster.load.meter.ClusterMeter;

/** Conclusions come from the numbers, and the report holds every chart as a decodable PNG. */
class ReportWriterTest {
    @TempDir
    Path dir;

    private static RunResult run(String scenario, int nodes, long sentBytes, long writes) {
        LoadSummary load = new LoadSummary(
                writes * 2,
                writes,
                writes * 2,
                0,
                0,
                0,
                0,
                5,
                writes * 2 / 5.0,
                1,
                2,
                3,
                4,
                Map.of("node-1", writes),
                List.of(),
                List.of());
        ClusterMeter.Delta meter =
                new ClusterMeter.Delta(sentBytes, 0, sentBytes, 0, 0, 0, 0, 0, 0, 1000 * nodes, 10, 50e6);
        return new RunResult(scenario, nodes, load, meter);
    }

    private static List<RunResult> matrix() {
        List<RunResult> results = new ArrayList<>();
        for (int n : new int[] {2, 3, 4, 6}) {
            results.add(run("all-to-all", n, 1000L * (n - 1) * 500, 500)); // 1000 bytes per peer per write
            results.add(run("server", n, 1200L * 500 + n, 500)); // flat
        }
        return results;
    }

    @Test
    void growthIsFittedFromTheNumbers() {
        Map<String, Conclusions.Growth> growth = Conclusions.growth(matrix());
        assertThat(growth.get("all-to-all").slope()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(growth.get("all-to-all").flat()).isFalse();
        assertThat(growth.get("server").flat()).isTrue();
        assertThat(Conclusions.sentences(matrix()))
                .anySatisfy(s -> assertThat(s).startsWith("all-to-all: bytes sent per session write grow 1.00"))
                .anySatisfy(s -> assertThat(s).startsWith("server: bytes sent per session write stay flat"));
    }

    @Test
    void reportHasJsonCsvAndAnHtmlPageWithEveryChart() throws Exception {
        ReportWriter.write(dir, "test report", Map.of("users", 4), matrix());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertThat(json.get("runs")).hasSize(8);
        assertThat(json.get("runs").get(0).get("bytesSentPerWrite").asDouble()).isEqualTo(1000.0);
        assertThat(Files.readAllLines(dir.resolve("results.csv"))).hasSize(9);
        String html = Files.readString(dir.resolve("index.html"));
        for (ReportWriter.Chart c : ReportWriter.CHARTS) {
            int at = html.indexOf("id=\"chart-" + c.id() + "\"");
            assertThat(at).as("chart " + c.id()).isPositive();
            int data = html.indexOf("base64,", at) + "base64,".length();
            byte[] png = Base64.getDecoder().decode(html.substring(data, html.indexOf('"', data)));
            assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
        assertThat(html).contains("all-to-all: bytes sent per session write grow");
    }

    @Test
    void aNameWithACommaOrAQuoteStaysOneCellInTheCsvAndIsEscapedInThePage() throws Exception {
        List<RunResult> results = List.of(run("redis, \"sticky\" <b>", 3, 1000, 500));
        ReportWriter.write(dir, "odd <names>", Map.of("note", "a & b"), results);
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("\"redis, \"\"sticky\"\" <b>\",3,");
        assertThat(lines.get(1).split(",", -1))
                .as("a quoted cell's comma aside, as many cells as the header")
                .hasSize(lines.get(0).split(",").length + 1);
        String html = Files.readString(dir.resolve("index.html"));
        assertThat(html)
                .contains("<title>odd &lt;names&gt;</title>")
                .contains("a &amp; b")
                .contains("redis, &quot;sticky&quot; &lt;b&gt;")
                .doesNotContain("<b>");
    }
}
