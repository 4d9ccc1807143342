package org.sessioncluster.ctl;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sessioncluster.config.ConfigKeys;
import picocli.CommandLine;

/** Runs a sessionctl command in this JVM with its output and errors in one console, echoed for the test log. */
public final class Cli {
    private Cli() {}

    /** The exit code and what the command printed. */
    public record Result(int exitCode, String console) {}

    public static Result run(String... args) {
        StringWriter console = new StringWriter();
        CommandLine cli = SessionCtl.commandLine();
        cli.setOut(new PrintWriter(console, true));
        cli.setErr(new PrintWriter(console, true));
        int code = cli.execute(args);
        System.out.println(console);
        return new Result(code, console.toString());
    }

    /**
     * {@code args} of a command, then the tests' config (when the command reads one: a command acting on a running
     * cluster takes none) and this run folder.
     */
    public static String[] inRunDir(Path runDir, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        CommandLine command = SessionCtl.commandLine();
        for (int i = 0; i < args.length && command.getSubcommands().containsKey(args[i]); i++) {
            command = command.getSubcommands().get(args[i]); // store inspect: the options are the subcommand's
        }
        if (command.getCommandSpec().findOption("--config") != null) {
            all.addAll(List.of("--config", TestClusters.configFile().toString()));
        }
        all.addAll(List.of("--run-dir", runDir.toString()));
        return all.toArray(String[]::new);
    }

    /** Node JVMs of the clusters a command starts in a test: small, quick to start, enough for the tests' load. */
    public static final String LEAN_JVM = "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    /**
     * A command that starts clusters of its own (failover, soak, compare), with the tests' WAR and config,
     * {@link #LEAN_JVM} node JVMs and a balancer as {@link TestClusters} starts it after {@code args}: C1 only and
     * no warm-up (each cluster would wait for its 20,000 requests, CPU the tests' load does not need).
     */
    public static Result runFresh(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--war",
                TestClusters.war().toString(),
                "--jvm-options",
                LEAN_JVM,
                "--config",
                TestClusters.configFile().toString(),
                "--set",
                ConfigKeys.BALANCER_WARMUP_REQUESTS + "=0",
                "--set",
                ConfigKeys.BALANCER_JVM_OPTIONS + "=" + TestClusters.TEST_JVM));
        return run(all.toArray(String[]::new));
    }
}
