package org.sessioncluster.ctl.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.ClusterStateException;
import org.sessioncluster.ctl.cluster.RunState;
import org.sessioncluster.ctl.proxyconf.HaproxyConfig;
import org.sessioncluster.ctl.proxyconf.NginxConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sessionctl proxy-config haproxy|nginx}: render the HAProxy or nginx equivalent of the balancer. */
@Command(
        name = "proxy-config",
        mixinStandardHelpOptions = true,
        description = "Print (or write) an HAProxy or nginx config for the nodes, rendered from cluster.properties.")
public class ProxyConfigCommand implements Callable<Integer> {
    /** Which proxy. */
    public enum Kind {
        haproxy,
        nginx
    }

    @Mixin
    ConfigOptions configOptions;

    @Parameters(index = "0", paramLabel = "KIND", description = "${COMPLETION-CANDIDATES}")
    Kind kind;

    @Option(
            names = "--running",
            description = "use the running cluster's resolved config (its real ports) instead of --config")
    boolean running;

    @Option(
            names = {"-o", "--output"},
            description = "write to this file instead of printing")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ClusterConfig config;
        if (running) {
            Path runDir = configOptions.runDir.path().toAbsolutePath().normalize();
            Path resolved = runDir.resolve(ClusterLauncher.RESOLVED_CONFIG);
            // the resolved config stays in the run folder after 'down': only a cluster that runs has real ports
            if (RunState.read(runDir).isEmpty() || !Files.isRegularFile(resolved)) {
                throw new ClusterStateException("no cluster is running from " + runDir
                        + " (start one with 'sessionctl up', or leave out --running to render --config)");
            }
            config = ClusterConfig.load(resolved, configOptions.overrides());
        } else {
            config = configOptions.load(Map.of());
        }
        String text = kind == Kind.haproxy ? HaproxyConfig.render(config) : NginxConfig.render(config);
        if (output != null) {
            Files.writeString(output, text, StandardCharsets.UTF_8);
            spec.commandLine().getOut().println("wrote " + output);
        } else {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
