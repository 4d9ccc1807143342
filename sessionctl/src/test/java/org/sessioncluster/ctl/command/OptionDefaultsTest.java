package org.sessioncluster.ctl.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sessioncluster.ctl.SessionCtl;
import picocli.CommandLine;

/** Shared options (mixins) take the defaults of the command that uses them, in its parse and in its help. */
class OptionDefaultsTest {
    private static <T> T parsed(Class<T> type, String... args) {
        CommandLine cli = SessionCtl.commandLine();
        CommandLine.ParseResult result = cli.parseArgs(args);
        return type.cast(result.subcommand().commandSpec().userObject());
    }

    private static String help(String command) {
        StringWriter out = new StringWriter();
        CommandLine cli = SessionCtl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.getSubcommands().get(command).setUsageHelpWidth(400); // one line per option: nothing wrapped
        assertThat(cli.execute(command, "--help")).isZero();
        return out.toString();
    }

    @Test
    void eachCommandGivesTheSharedOptionsItsOwnDefaults() {
        SoakCommand soak = parsed(SoakCommand.class, "soak");
        FailoverCommand failover = parsed(FailoverCommand.class, "failover");
        assertThat(soak.runs.duration).isEqualTo(Duration.ofMinutes(10));
        assertThat(failover.runs.duration).isEqualTo(Duration.ofSeconds(20));
        assertThat(soak.runs.policy).isEqualTo("round-robin");
        assertThat(failover.runs.policy).isEqualTo("sticky");
        assertThat(soak.runs.modes).containsExactly("delta", "backup", "redis", "redisson");
        assertThat(soak.report.out).isEqualTo(Path.of("report/soak"));
        assertThat(parsed(ChaosCommand.class, "chaos").virtualUsers.users).isEqualTo(8);
        assertThat(parsed(LoadCommand.class, "load").virtualUsers.think).isEqualTo(Duration.ZERO);
        assertThat(parsed(RolloutCommand.class, "rollout", "--strategy", "rolling", "--war", "x.war")
                        .virtualUsers
                        .users)
                .isZero();
        assertThat(parsed(CompareCommand.class, "compare").fresh.jvmOptions).isEqualTo(CompareCommand.FULL_JIT_OPTIONS);
        assertThat(parsed(FailoverCommand.class, "failover").runs.fresh.jvmOptions)
                .contains("TieredStopAtLevel=1");
    }

    @Test
    void aValueGivenWinsOverTheDefault() {
        SoakCommand soak = parsed(SoakCommand.class, "soak", "--duration", "90s", "--users", "3", "--out", "r");
        assertThat(soak.runs.duration).isEqualTo(Duration.ofSeconds(90));
        assertThat(soak.runs.users.users).isEqualTo(3);
        assertThat(soak.report.out).isEqualTo(Path.of("r"));
    }

    @Test
    void helpShowsTheCommandsDefaults() {
        assertThat(help("soak")).contains("(default: 10m)").contains("(default: report/soak)");
        assertThat(help("failover")).contains("(default: 20s)").contains("(default: sticky)");
        assertThat(help("compare")).contains("(default: " + CompareCommand.FULL_JIT_OPTIONS + ")");
        for (String command : List.of("load", "chaos", "rollout")) {
            assertThat(help(command)).as(command).doesNotContain("(default: null)");
        }
    }
}
