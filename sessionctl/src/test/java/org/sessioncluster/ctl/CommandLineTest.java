package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ExitCodes;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.command.DurationConverter;
import picocli.CommandLine;

/** The command line's shared conventions: durations read one way, bad options refused in one line with exit 2. */
class CommandLineTest {
    /** What a command said on stderr, and its exit code. */
    private record Outcome(int code, String err) {}

    private static Outcome execute(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = SessionCtl.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Outcome(code, err.toString());
    }

    @Test
    void durationsAreReadAsPeopleWriteThem() {
        DurationConverter d = new DurationConverter();
        assertThat(d.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(d.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.convert(" 2m ")).isEqualTo(Duration.ofMinutes(2));
        assertThat(d.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(d.convert("7")).as("a bare number is seconds").isEqualTo(Duration.ofSeconds(7));
        assertThatThrownBy(() -> d.convert("soon"))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("'soon' is not a duration");
        assertThatThrownBy(() -> d.convert("-5s")).hasMessageContaining("not a duration");
        for (String written : new String[] {"500ms", "30s", "2m", "1h", "0s", "90s", "1500ms"}) {
            assertThat(DurationConverter.format(d.convert(written)))
                    .as("written back")
                    .isEqualTo(written);
        }
    }

    @Test
    void aBadDurationIsOneLineNamingTheOptionAndExitCode2() {
        for (String[] args : new String[][] {
            {"soak", "--duration", "soon"}, {"chaos", "--redis-delay", "slow"}, {"tunnel", "local", "--for", "x"}
        }) {
            Outcome run = execute(args);
            assertThat(run.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(run.err())
                    .contains("Invalid value for option '" + args[args.length - 2] + "'")
                    .contains("is not a duration")
                    .contains("--help' for its options")
                    .doesNotContain("Usage:")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void anUnknownOptionIsOneLineToo() {
        Outcome run = execute("load", "--userz", "3");
        assertThat(run.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("Unknown options: '--userz'").contains("sessionctl load --help");
    }

    @Test
    void tomcatBaseWithoutATomcatIsBadInputNotAFailedLaunch() {
        Outcome run = execute("tomcat-base");
        assertThat(run.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("--home CATALINA_HOME is needed").doesNotContain("Exception");
    }

    @Test
    void aMissingWarOrTomcatIsBadInputForEveryCommandThatTakesOne(@TempDir Path dir) throws IOException {
        String config = System.getProperty("sessioncluster.test.config");
        String missingWar = dir.resolve("missing.war").toString();
        Path notTomcat = Files.createDirectories(dir.resolve("not-tomcat"));
        Path tomcat = dir.resolve("tomcat");
        Files.createDirectories(tomcat.resolve("conf"));
        Files.createDirectories(tomcat.resolve("bin"));
        Files.writeString(tomcat.resolve("conf/server.xml"), "<Server/>");
        Files.writeString(tomcat.resolve("bin/catalina.sh"), "");
        String runDir = dir.resolve("run").toString();
        String out = dir.resolve("out").toString();
        for (String[] args : new String[][] {
            {"up", "--config", config, "--run-dir", runDir, "--war", missingWar},
            {"rollout", "--strategy", "rolling", "--run-dir", runDir, "--war", missingWar, "--out", out},
            {"tomcat-base", "--config", config, "--home", tomcat.toString(), "--war", missingWar, "--out", out},
            {"tomcat-base", "--config", config, "--home", notTomcat.toString(), "--out", out}
        }) {
            Outcome run = execute(args);
            assertThat(run.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(run.err())
                    .as(String.join(" ", args))
                    .containsAnyOf("WAR not found: " + missingWar, notTomcat + " is not a Tomcat distribution")
                    .doesNotContain("Exception");
        }
        assertThat(Files.exists(dir.resolve("run").resolve("state.json")))
                .as("nothing started")
                .isFalse();
    }

    @Test
    void rolloutRefusesANegativeMinRequestsBeforeTouchingTheCluster(@TempDir Path dir) throws IOException {
        Path war = Files.writeString(dir.resolve("new.war"), "not started: refused first");
        Outcome run = execute(
                "rollout",
                "--strategy",
                "canary",
                "--min-requests",
                "-1",
                "--war",
                war.toString(),
                "--run-dir",
                dir.resolve("run").toString());
        assertThat(run.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("--min-requests -1 is not allowed").doesNotContain("Exception");
    }

    @Test
    void sessionctlAloneListsItsCommands() {
        Outcome run = execute();
        assertThat(run.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err())
                .contains("Usage: sessionctl")
                .contains("Commands:")
                .contains("  up ")
                .doesNotContain("Missing required subcommand");
    }

    @Test
    void chaosRefusesAFaultThatLastsNoTime() {
        Outcome run = execute("chaos", "--scenarios", "local+sticky", "--faults", "partition-peers", "--window", "0s");
        assertThat(run.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("--window 0s is not allowed").doesNotContain("Exception");
    }

    @Test
    void aFileThatCannotBeWrittenOrAPortOutOfRangeIsOneLineNotAStackTrace(@TempDir Path dir) throws IOException {
        String config = System.getProperty("sessioncluster.test.config");
        Path unwritable = dir.resolve("no-such-folder").resolve("haproxy.cfg");
        Outcome write = execute("proxy-config", "haproxy", "--config", config, "-o", unwritable.toString());
        assertThat(write.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(write.err().strip())
                .isEqualTo("sessionctl: no such file or folder: " + unwritable)
                .doesNotContain("Exception");

        // --running after 'down': the stopped cluster's resolved config is still in the run folder, its ports are not
        Path stopped = dir.resolve("run");
        Files.createDirectories(stopped);
        Files.copy(Path.of(config), stopped.resolve("cluster.properties"));
        Outcome running = execute("proxy-config", "haproxy", "--running", "--run-dir", stopped.toString());
        assertThat(running.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(running.err()).contains("no cluster is running from " + stopped);

        Outcome port = execute(
                "ssh-server", "--port", "99999", "--dir", dir.resolve("ssh").toString());
        assertThat(port.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(port.err())
                .contains("--port 99999 is not allowed; allowed: 0 to 65535")
                .doesNotContain("Exception");
    }

    @Test
    void anIoFailureIsSaidInWords() {
        assertThat(SessionCtl.describe(new java.nio.file.AccessDeniedException("/etc/x")))
                .isEqualTo("permission denied: /etc/x");
        assertThat(SessionCtl.describe(
                        new java.io.UncheckedIOException(new java.nio.file.NoSuchFileException("/nope/y"))))
                .as("an unchecked wrapper without a message of its own says its cause's")
                .isEqualTo("no such file or folder: /nope/y");
        assertThat(SessionCtl.describe(
                        new java.io.UncheckedIOException("cannot write the keys in /k", new java.io.IOException("/k"))))
                .isEqualTo("cannot write the keys in /k");
    }

    @Test
    void aSoakWithARestartAllowanceUnderASecondIsRefusedBeforeAnythingStarts() {
        Outcome run = execute("soak", "--restart-allowance", "500ms");
        assertThat(run.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err())
                .contains("the restart allowance must be at least 1 s")
                .doesNotContain("Exception");
    }

    @Test
    void compareRefusesABadSetAndAPayloadOverTheNodesLimitBeforeStartingAnything(@TempDir Path dir) throws IOException {
        Path war = Files.createFile(dir.resolve("app.war"));
        java.util.function.Function<String, Outcome> compareWith = set -> execute(
                "compare",
                "--quick",
                "--war",
                war.toString(),
                "--config",
                TestClusters.configFile().toString(),
                "--out",
                dir.resolve("report").toString(),
                "--run-dir",
                dir.resolve("run").toString(),
                "--set",
                set);
        Outcome badValue = compareWith.apply("nodes=abc");
        assertThat(badValue.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(badValue.err()).as("--set is read, not ignored").contains("nodes = 'abc' is not allowed");
        Outcome overLimit = compareWith.apply("session.payload.max.bytes=100");
        assertThat(overLimit.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(overLimit.err())
                .contains("--payload 1024 is over the nodes' limit of 100 bytes (session.payload.max.bytes)")
                .doesNotContain("Exception");
        assertThat(dir.resolve("run")).as("nothing started").doesNotExist();
        assertThat(dir.resolve("report")).doesNotExist();
    }

    @Test
    void commandsOnARunningClusterTakeNoConfigOrSetSinceTheClusterKeepsTheOneItStartedWith() {
        for (String[] command : new String[][] {
            {"down"},
            {"status"},
            {"load"},
            {"rollout", "--strategy", "rolling", "--war", "new.war"},
            {"kill", "node-1"},
            {"restart", "node-1"},
            {"add-node"},
            {"drain", "node-1"},
            {"enable", "node-1"},
            {"disable", "node-1"},
            {"weight", "node-1", "2"}
        }) {
            String[] args = java.util.stream.Stream.concat(
                            java.util.Arrays.stream(command), java.util.stream.Stream.of("--set", "nodes=5"))
                    .toArray(String[]::new);
            Outcome run = execute(args);
            assertThat(run.code()).as(command[0]).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(run.err()).as(command[0]).contains("Unknown option").contains("'--set'");
        }
        StringWriter help = new StringWriter();
        CommandLine cli = SessionCtl.commandLine();
        cli.setOut(new PrintWriter(help, true));
        cli.execute("restart", "--help");
        assertThat(help.toString())
                .contains("--run-dir")
                .doesNotContain("--config")
                .doesNotContain("--set");
    }

    @Test
    void upAndTomcatBaseNameEverySessionModeInTheirHelp() {
        for (String command : new String[] {"up", "tomcat-base"}) {
            StringWriter out = new StringWriter();
            CommandLine cli = SessionCtl.commandLine();
            cli.setOut(new PrintWriter(out, true));
            assertThat(cli.execute(command, "--help")).isZero();
            String help = out.toString().replaceAll("\\s+", " ");
            for (SessionMode mode : SessionMode.values()) {
                assertThat(help).as(command + " --help").contains(mode.configName());
            }
        }
    }
}
