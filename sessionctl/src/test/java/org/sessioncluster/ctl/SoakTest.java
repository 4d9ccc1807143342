package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sessionctl soak}, test-sized: 60 s of load per mode (delta, backup, redis; 3 nodes behind round-robin)
 * while nodes are SIGKILLed and restarted at moments drawn from a fixed seed. Goals: no session lost, no GET
 * failed, no heap growth after warm-up — and the seed really drew faults.
 */
class SoakTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    @Test
    void sixtySecondsOfRandomKillsLoseNothing() throws Exception {
        Cli.Result run = Cli.run(
                "soak",
                "--modes",
                "delta,backup,redis",
                "--nodes",
                "3",
                "--duration",
                "60s",
                "--seed",
                "7",
                "--gap-min",
                "5s",
                "--gap-max",
                "8s",
                "--down-min",
                "1s",
                "--down-max",
                "3s",
                "--users",
                "9",
                "--war",
                TestClusters.war().toString(),
                "--jvm-options",
                "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
                "--config",
                TestClusters.configFile().toString(),
                "--out",
                out.toString());
        assertThat(run.exitCode()).as(run.console()).isZero();
        assertThat(run.console())
                .contains("killed node-")
                .contains("of 60 s:")
                .contains("goals (0 sessions lost, 0 failed GETs, no heap growth): met");

        JsonNode report = JSON.readTree(out.resolve("results.json").toFile());
        assertThat(report.get("scenarios")).hasSize(3);
        for (JsonNode s : report.get("scenarios")) {
            String name = s.get("name").asText();
            JsonNode f = s.get("figures");
            int kills = f.get("kills and restarts").asInt();
            assertThat(kills).as(name + ": the seed drew faults").isGreaterThanOrEqualTo(2);
            assertThat(f.get("requests").asLong()).as(name + " requests").isGreaterThan(1000);
            assertThat(f.get("sessions lost").asInt())
                    .as(name + " sessions lost")
                    .isZero();
            assertThat(f.get("failed GETs").asInt()).as(name + " failed GETs").isZero();
            // backup mode: at most the write at the instant of each crash reads back one version old (FailoverTest)
            assertThat(f.get("stale answers").asInt())
                    .as(name + " stale answers")
                    .isLessThanOrEqualTo(name.startsWith("backup") ? 2 * kills : 0);
            assertThat(f.get("heap grows").asBoolean())
                    .as(name + " heap trend " + f.get("heap trend per node after warm-up (MB/min)"))
                    .isFalse();
            JsonNode trends = f.get("heap trend per node after warm-up (MB/min)");
            assertThat(trends.size()).isEqualTo(3);
            assertThat(trends.elements())
                    .toIterable()
                    .as(name + ": at least one node lived long enough to judge")
                    .anyMatch(JsonNode::isNumber);
            f.get("peak heap per node (MB)")
                    .elements()
                    .forEachRemaining(mb ->
                            assertThat(mb.asDouble()).as(name + " peak heap").isBetween(1.0, 192.0));
        }
    }
}
