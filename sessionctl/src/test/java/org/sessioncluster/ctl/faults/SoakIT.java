package org.sessioncluster.ctl.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.sessioncluster.ctl.Cli;
import org.sessioncluster.ctl.scenario.FreshCluster;

/**
 * {@code sessionctl soak}, test-sized: 24 s of load per mode (3 nodes behind round-robin) while nodes are
 * SIGKILLed and restarted at moments drawn from a fixed seed, a fault 3–5 s after the last node is back (drawn only when
 * the fault and 5 s for the restart fit before the end: two per run), and the live heap measured every 3 s. Delta and the three Redis
 * modes (redis, redisson, spring-session) meet every goal: no session lost, no stale answer, no GET failed,
 * no runaway growth of the live heap (24 s can only
 * show a runaway; the 10 minute script is the real check). Backup mode loses no session and fails no GET
 * either; behind round-robin Tomcat's BackupManager can still answer once with a copy one change old when a
 * crash races a change of owner (README, "Soak"), so up to 2 stale answers are allowed there, and a run that
 * has one must say that it missed the goal.
 */
// its faults are drawn into 24 s per mode and each needs a node restarted: beside another test class, whose
// processes share the cores, a restart takes longer and fewer faults fit
@Isolated
class SoakIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern KEPT_LOGS = Pattern.compile("logs are kept in (\\S+)");

    @TempDir
    Path out;

    private Cli.Result soak(String modes, Path report) {
        return Cli.runFresh(
                "soak",
                "--modes",
                modes,
                "--nodes",
                "3",
                "--duration",
                "24s",
                "--restart-allowance",
                "5s",
                "--seed",
                "7",
                "--gap-min",
                "3s",
                "--gap-max",
                "5s",
                "--down-min",
                "1s",
                "--down-max",
                "2s",
                "--users",
                "9",
                "--max-heap-growth",
                "30",
                "--heap-every",
                "3s",
                "--out",
                report.toString());
    }

    private static void assertMeasured(JsonNode s) {
        String name = s.get("name").asText();
        JsonNode f = s.get("figures");
        assertThat(f.get("kills and restarts").asInt())
                .as(name + ": the seed drew faults")
                .isGreaterThanOrEqualTo(2);
        assertThat(f.get("requests").asLong()).as(name + " requests").isGreaterThan(1000);
        assertThat(f.get("failed GETs").asInt()).as(name + " failed GETs").isZero();
        assertThat(f.get("sessions lost").asInt()).as(name + " sessions lost").isZero();
        JsonNode trends = f.get("live heap trend per node after warm-up (MB/min)");
        assertThat(trends.size()).isEqualTo(3);
        assertThat(trends.elements())
                .toIterable()
                .as(name + ": at least one node lived long enough to judge")
                .anyMatch(JsonNode::isNumber);
        f.get("peak heap per node (MB)")
                .elements()
                .forEachRemaining(
                        mb -> assertThat(mb.asDouble()).as(name + " peak heap").isBetween(1.0, 192.0));
        f.get("live heap per node at the end (MB)")
                .elements()
                .forEachRemaining(mb -> assertThat(mb.isNumber())
                        .as(name + ": the live heap of every node was measured (jcmd)")
                        .isTrue());
        assertThat(f.get("heap grows").asBoolean()).as(name + " heap").isFalse();
    }

    @Test
    void deltaAndTheRedisModesMeetEveryGoalUnderRandomKills() throws Exception {
        Cli.Result run = soak("delta,redis,redisson,spring-session", out.resolve("shared"));
        assertThat(run.exitCode()).as(run.console()).isZero();
        assertThat(run.console())
                .contains("killed node-")
                .contains("of 24 s:")
                .contains("goals (0 sessions lost, 0 stale answers, 0 failed GETs, no live heap growth): met");
        JsonNode report = JSON.readTree(out.resolve("shared/results.json").toFile());
        assertThat(report.get("parameters").get("restartAllowance").asText())
                .as("the report says how its faults were drawn")
                .isEqualTo("5s");
        assertThat(report.get("scenarios")).hasSize(4);
        for (JsonNode s : report.get("scenarios")) {
            assertMeasured(s);
            assertThat(s.get("figures").get("stale answers").asInt())
                    .as(s.get("name") + " stale answers")
                    .isZero();
        }
    }

    @Test
    void backupModeLosesNoSessionAndAMissedGoalSaysSo() throws Exception {
        Cli.Result run = soak("backup", out.resolve("backup"));
        JsonNode s = JSON.readTree(out.resolve("backup/results.json").toFile())
                .get("scenarios")
                .get(0);
        assertMeasured(s);
        int stale = s.get("figures").get("stale answers").asInt();
        assertThat(stale).as("stale answers (a crash racing a change of owner)").isBetween(0, 2);
        if (stale == 0) {
            assertThat(run.exitCode()).as(run.console()).isZero();
        } else {
            // the run says the goal was missed, with an exit code of its own, and keeps the logs to look at
            assertThat(run.exitCode()).as(run.console()).isEqualTo(3);
            assertThat(run.console())
                    .contains("goals (0 sessions lost, 0 stale answers, 0 failed GETs, no live heap growth): MISSED")
                    .contains("session: ");
            Matcher kept = KEPT_LOGS.matcher(run.console());
            assertThat(kept.find()).as("the kept log folder is named").isTrue();
            Path logs = Path.of(kept.group(1));
            assertThat(logs.resolve("node-1.log")).exists();
            FreshCluster.deleteQuietly(logs.getParent());
        }
    }
}
