package org.sessioncluster.load.report;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A cell made of rounds sums its counts and takes the median round's rates; the CPU conclusions compare each
 * scenario with local+sticky at the same N and say when the rounds' ranges overlap (within the noise) and when a
 * run was still getting cheaper; the page leads with the CPU-per-request chart.
 */
class CpuConclusionsTest {
    @TempDir
    Path dir;

    /** A round of 1000 requests whose cluster used {@code cpuMicros} µs per request (half of it on the nodes). */
    private static RoundResult round(int n, double cpuMicros, double throughput) {
        LoadSummary load = new LoadSummary(
                1000,
                400,
                1000,
                n == 1 ? 1 : 0,
                0,
                0,
                0,
                2,
                throughput,
                n,
                2,
                3,
                4,
                Map.of("node-1", 1000L),
                List.of(),
                List.of());
        ClusterMeter.Delta meter = new ClusterMeter.Delta(100, 1, 100, 1, 0, 0, 0, 50, 0, 10, 1, 1);
        double seconds = cpuMicros * 1000 / 1e6;
        return new RoundResult(
                n, load, meter, new CpuUsage(Map.of("nodes", seconds / 2, "balancer", seconds / 2), 0.5));
    }

    private static RunResult cell(String scenario, int nodes, double... cpu) {
        List<RoundResult> rounds = new ArrayList<>();
        for (int i = 0; i < cpu.length; i++) {
            rounds.add(round(i + 1, cpu[i], 100 * (i + 1)));
        }
        return RunResult.of(scenario, nodes, rounds);
    }

    /** A cell whose rounds served these requests per second (CPU alike). */
    private static RunResult served(String scenario, int nodes, double... throughput) {
        List<RoundResult> rounds = new ArrayList<>();
        for (int i = 0; i < throughput.length; i++) {
            rounds.add(round(i + 1, 100, throughput[i]));
        }
        return RunResult.of(scenario, nodes, rounds);
    }

    @Test
    void deltaIsSetAgainstRedisAtTheLargestNodeCountBothRanWithTheBytesTheySent() {
        List<RunResult> results = List.of(
                served("delta", 2, 500, 520, 480),
                served("redis", 2, 400, 410, 390),
                served("delta", 8, 100, 110, 90),
                served("redis", 8, 300, 310, 290),
                served("delta", 16, 50, 50, 50));
        assertThat(Conclusions.broadcastVsServer(results))
                .hasValueSatisfying(t -> assertThat(t)
                        .startsWith(
                                "At 8 nodes delta served 100 requests/s (90–110) and redis 300 (290–310): delta 0.33×")
                        .contains("round by round 0.31–0.35 (below in every round)")
                        .doesNotContain("within the noise")
                        .contains("copied to the 7 other nodes"));
        assertThat(Conclusions.broadcastVsServer(List.of(served("delta", 2, 100, 200), served("redis", 2, 150, 160))))
                .hasValueSatisfying(
                        t -> assertThat(t).contains("within the noise").contains("copied to the other node)"));
        assertThat(Conclusions.broadcastVsServer(List.of(served("delta", 8, 100))))
                .isEmpty();
        assertThat(Conclusions.sentences(results)).anyMatch(l -> l.startsWith("At 8 nodes delta served"));
    }

    @Test
    void aCellOfRoundsSumsCountsAndTakesMedians() {
        RunResult r = cell("delta", 2, 300, 100, 200);
        assertThat(r.load().requests()).isEqualTo(3000);
        assertThat(r.load().misses()).as("summed over rounds").isEqualTo(1);
        assertThat(r.load().throughput()).as("median round").isEqualTo(200);
        assertThat(r.meter().redisCommands()).isEqualTo(150);
        assertThat(r.cpuMicrosPerRequest()).isCloseTo(200, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.spread(RoundResult::cpuMicrosPerRequest).min())
                .isCloseTo(100, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.cpuMicrosPerRequestByRole().get("nodes"))
                .isCloseTo(100, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.redisCommandsPerRequest()).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void differencesAreComparedWithTheBaselineAndTheNoiseIsNamed() throws Exception {
        List<RunResult> results = List.of(
                cell("local+sticky", 2, 100, 110, 105),
                cell("delta", 2, 300, 310, 290),
                cell("redis", 2, 108, 120, 112),
                cell("local+sticky", 4, 100, 100, 100),
                cell("delta", 4, 600, 400, 300));
        List<String> lines = Conclusions.cpuSentences(results);
        String delta = lines.stream()
                .filter(l -> l.startsWith("delta: cluster CPU"))
                .findFirst()
                .orElseThrow();
        assertThat(delta)
                .contains("2.86× at 2 nodes")
                .contains("4.00× at 4 nodes")
                .doesNotContain("within the noise");
        String redis = lines.stream()
                .filter(l -> l.startsWith("redis: cluster CPU"))
                .findFirst()
                .orElseThrow();
        assertThat(redis).contains("within the noise");
        assertThat(lines)
                .anyMatch(l -> l.startsWith("delta on 4 nodes was still getting cheaper (CPU per request 600 → 300"));
        assertThat(lines).noneMatch(l -> l.startsWith("delta on 2 nodes was still getting cheaper"));

        ReportWriter.write(dir, "cpu report", Map.of("rounds", 3), results);
        String html = Files.readString(dir.resolve("index.html"));
        assertThat(html.indexOf("id=\"chart-cpu-per-request\""))
                .as("the page leads with the CPU chart")
                .isPositive()
                .isLessThan(html.indexOf("id=\"conclusions\""));
        assertThat(Files.readString(dir.resolve("results.json"))).contains("\"cpuMicrosPerRequestByRole\"");
    }
}
