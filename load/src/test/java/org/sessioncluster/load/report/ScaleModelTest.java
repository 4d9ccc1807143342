package org.sessioncluster.load.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.load.LoadSummary;
import org.sessioncluster.load.meter.ClusterMeter;
import org.sessioncluster.load.meter.CpuUsage;

/**
 * The scale model recovers the lines it is given, checks itself on a held-out node count (and says how far off it
 * is when the truth is not a line), projects link load at a rate per node, and names the N where delta's traffic
 * fills a link and where delta costs more than the session server.
 */
class ScaleModelTest {
    @TempDir
    Path dir;

    /** One cell of 1000 requests: this CPU per request, and these bytes per request to peers or to Redis. */
    private static RunResult cell(String scenario, int nodes, double cpuMicros, long peerBytes, long redisBytes) {
        LoadSummary load = new LoadSummary(
                1000, 400, 1000, 0, 0, 0, 0, 2, 500, 1, 2, 3, 4, Map.of("node-1", 1000L), List.of(), List.of());
        ClusterMeter.Delta meter =
                new ClusterMeter.Delta(peerBytes * 1000, 1, 0, 1, 0, redisBytes * 1000, 0, 0, 0, 10, 1, 1);
        double seconds = cpuMicros * 1000 / 1e6;
        List<RoundResult> rounds = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            rounds.add(new RoundResult(i, load, meter, new CpuUsage(Map.of("nodes", seconds), 0)));
        }
        return RunResult.of(scenario, nodes, rounds);
    }

    private static List<RunResult> measured(double deltaCpuAt8) {
        List<RunResult> out = new ArrayList<>();
        for (int n : new int[] {2, 4, 8}) {
            double deltaCpu = n == 8 ? deltaCpuAt8 : 100 + 50 * (n - 1);
            out.add(cell("delta", n, deltaCpu, 1000L * (n - 1), 0));
            out.add(cell("redis", n, 150, 0, 500));
            out.add(cell("local+sticky", n, 80, 0, 0));
        }
        return out;
    }

    private static final ScaleModel.Assumptions AT_1000_PER_NODE =
            new ScaleModel.Assumptions(1000, 1024, 1024, 1e9, List.of(16, 32, 64));

    @Test
    void recoversTheLinesAndChecksItselfOnTheLargestN() {
        Map<String, ScaleModel.Fit> fits = ScaleModel.fit(measured(100 + 50 * 7));
        ScaleModel.Fit delta = fits.get("delta");
        assertThat(delta.cpu().intercept()).isCloseTo(100, offset(1e-6));
        assertThat(delta.cpu().slope()).isCloseTo(50, offset(1e-6));
        assertThat(delta.bytes().slope()).isCloseTo(1000, offset(1e-6));
        assertThat(delta.checkNodes()).isEqualTo(8);
        assertThat(delta.cpuCheckError()).isCloseTo(0, offset(1e-9));
        assertThat(delta.sharedServer()).isFalse();
        assertThat(fits.get("redis").sharedServer()).isTrue();
        assertThat(fits.get("redis").cpu().slope()).isCloseTo(0, offset(1e-9));

        // a session server's bytes per request that wobble a little with N are flat, not a falling line
        List<RunResult> wobbly =
                List.of(cell("redis", 2, 150, 0, 520), cell("redis", 4, 150, 0, 500), cell("redis", 8, 150, 0, 480));
        ScaleModel.Fit flat = ScaleModel.fit(wobbly).get("redis");
        assertThat(flat.bytes().slope()).isZero();
        assertThat(flat.bytes().at(64)).isCloseTo(500, offset(1e-9));

        // the 8-node point off the line by 100 µs: the check says how far the 2-and-4 line misses it
        ScaleModel.Fit bent = ScaleModel.fit(measured(450 + 100)).get("delta");
        assertThat(bent.cpuCheckError()).isCloseTo(100.0 / 550, offset(1e-9));
        // the line fitted through all three points reproduces each of them within the printed fit error
        assertThat(bent.fitError()).isPositive();
        bent.measured()
                .forEach((n, cpu) -> assertThat(Math.abs(bent.cpu().at(n) - cpu) / cpu)
                        .as("%d nodes", n)
                        .isLessThanOrEqualTo(bent.fitError()));
        assertThat(ScaleModel.sentences(Map.of("delta", bent), AT_1000_PER_NODE))
                .anyMatch(s -> s.startsWith("Model fit, delta:")
                        && s.endsWith("within " + (int) Math.ceil(bent.fitError() * 100) + " %."));
    }

    @Test
    void projectsLinkLoadAndNamesWhereDeltaFillsALinkAndCostsMoreThanRedis() throws Exception {
        Map<String, ScaleModel.Fit> fits = ScaleModel.fit(measured(450));
        // delta: 1000 B × (N−1) per request × 1000 req/s × 8 bits; full above 1 Gbit/s from N − 1 > 125
        assertThat(ScaleModel.linkFullAt(fits.get("delta"), AT_1000_PER_NODE, 1024))
                .hasValue(127);
        // redis: 500 B per request from each node, N nodes into one server link: 4 Mbit/s × N > 1 Gbit/s from N = 251
        assertThat(ScaleModel.linkFullAt(fits.get("redis"), AT_1000_PER_NODE, 1024))
                .hasValue(251);
        // the same traffic shared by 3 primaries of a sharded store: each one's link fills 3 times later
        ScaleModel.Assumptions sharded =
                new ScaleModel.Assumptions(1000, 1024, 1024, 1e9, List.of(16, 32, 64), Map.of("redis", 3));
        assertThat(ScaleModel.linkFullAt(fits.get("redis"), sharded, 1024)).hasValue(751);
        // 100 + 50 (N−1) > 150 from N = 3
        assertThat(ScaleModel.costsMoreFrom(fits.get("delta"), fits.get("redis"), 1024))
                .hasValue(3);
        // ten times bigger sessions: ten times the bytes
        ScaleModel.Assumptions big = new ScaleModel.Assumptions(1000, 10240, 1024, 1e9, List.of(16, 32, 64));
        assertThat(ScaleModel.linkFullAt(fits.get("delta"), big, 1024)).hasValue(14);
        ScaleModel.Projection at64 = ScaleModel.project(fits, AT_1000_PER_NODE).stream()
                .filter(p -> p.scenario().equals("delta") && p.nodes() == 64)
                .findFirst()
                .orElseThrow();
        assertThat(at64.cpuMicrosPerRequest()).isCloseTo(100 + 50 * 63, offset(1e-6));
        assertThat(at64.nodeLinkBits()).isCloseTo(1000.0 * 63 * 8 * 1000, offset(1e-3));

        List<String> findings = ScaleModel.sentences(fits, AT_1000_PER_NODE);
        assertThat(findings)
                .contains("Model: delta's replication traffic fills a 1000 Mbit/s node link from N = 127 at 1000"
                        + " requests/s per node and 1024-byte sessions.")
                .contains("Model: delta costs more cluster CPU per request than redis from N = 3.")
                .anyMatch(s -> s.startsWith("Model check, delta: fitted without 8 nodes"));

        ReportWriter.write(dir, "model report", Map.of("rounds", 3), measured(450), AT_1000_PER_NODE, null);
        String html = Files.readString(dir.resolve("index.html"));
        assertThat(html).contains("A model past one machine (a model, not a measurement)");
        assertThat(html.indexOf("id=\"model\"")).isLessThan(html.indexOf("id=\"results\""));
        JsonNode model = new ObjectMapper()
                .readTree(dir.resolve("results.json").toFile())
                .get("model");
        assertThat(model.get("label").asText()).contains("not a measurement");
        assertThat(model.get("projections")).hasSize(3 * 3);
        assertThat(model.get("fits").get("delta").get("checkNodes").asInt()).isEqualTo(8);
    }
}
