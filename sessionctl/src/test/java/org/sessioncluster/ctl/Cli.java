package org.sessioncluster.ctl;

import java.io.PrintWriter;
import java.io.StringWriter;
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
}
