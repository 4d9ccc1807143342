package org.sessioncluster.ctl.command;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sessioncluster.ctl.scenario.WarVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sessionctl make-war}: another version of the WAR for rollout demos, without a rebuild. */
@Command(
        name = "make-war",
        mixinStandardHelpOptions = true,
        description =
                "Copy the WAR with another app version (X-App-Version, the page) and optionally a failure rate"
                        + " (a deliberately broken build for canary demos). The same as ./mvnw package -Dapp.version=V -Dapp.failure.rate=F.")
public class MakeWarCommand implements Callable<Integer> {
    @Option(
            names = "--from",
            defaultValue = "webapp/target/session-webapp.war",
            description = "the WAR to copy (default: ${DEFAULT-VALUE})")
    Path from;

    @Option(names = "--app-version", required = true, description = "the version the copy reports, e.g. 2.0")
    String version;

    @Option(
            names = "--failure-rate",
            defaultValue = "0",
            description =
                    "share of requests (0 to 1) the copy answers with a 500, /health excepted (default: ${DEFAULT-VALUE})")
    double failureRate;

    @Option(names = "--out", description = "where to write it (default: run/wars/session-webapp-VERSION.war)")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path target = out != null ? out : Path.of("run", "wars", "session-webapp-" + version + ".war");
        WarVersion.write(from, target, version, failureRate);
        spec.commandLine()
                .getOut()
                .println("wrote " + target + " (version " + version
                        + (failureRate > 0
                                ? ", fails " + Math.round(failureRate * 100) + " % of requests on purpose"
                                : "")
                        + ")");
        return 0;
    }
}
