package org.sessioncluster.ctl.command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A command that runs something while telling its progress on its console, and writes a report to --out. */
abstract class ReportingCommand implements Callable<Integer> {
    @Mixin
    ReportOptions report;

    @Override
    public final Integer call() throws Exception {
        return run(report.console());
    }

    /** Runs the command, telling its progress on {@code console}; returns its exit code. */
    abstract int run(PrintWriter console) throws Exception;
}
