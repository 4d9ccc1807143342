package org.sessioncluster.ctl.command;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where a command that writes a report puts it (its default is the command's), and its console. */
public class ReportOptions {
    @Option(names = "--out", description = "report folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The command's standard output (a test's console when a test runs the command). */
    PrintWriter console() {
        return command.commandLine().getOut();
    }
}
