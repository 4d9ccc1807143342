package org.sessioncluster.ctl.command;

import java.io.PrintWriter;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.ctl.cluster.NodeStatus;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sessionctl status}: one line per process of the running cluster. Exit 3 when none runs. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the nodes of the running cluster.")
public class StatusCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<RunState> maybe = RunState.read(configOptions.runDir);
        if (maybe.isEmpty()) {
            out.println("no cluster is running from " + configOptions.runDir.toAbsolutePath().normalize());
            return 3;
        }
        RunState state = maybe.get();
        out.println("mode: " + state.mode());
        out.printf("%-8s %-8s %-26s %-6s %8s %6s %8s%n", "NAME", "PID", "URL", "STATE", "SESSIONS", "PEERS", "HEAP MB");
        int index = 0;
        for (RunState.Proc proc : state.nodes()) {
            index++;
            URI url = URI.create(proc.url());
            NodeAddress address = new NodeAddress(index, proc.name(), url.getHost(), url.getPort(), 0);
            boolean alive = state.liveProcesses().stream().anyMatch(p -> p.pid() == proc.pid());
            Optional<NodeStatus> status = alive ? NodeStatus.fetch(address) : Optional.empty();
            out.printf("%-8s %-8d %-26s %-6s %8s %6s %8s%n", proc.name(), proc.pid(), proc.url(),
                    !alive ? "dead" : status.isPresent() ? "up" : "no-answer",
                    status.map(s -> Integer.toString(s.sessions())).orElse("-"),
                    status.map(s -> s.channelPeers() < 0 ? "-" : Integer.toString(s.channelPeers())).orElse("-"),
                    status.map(s -> Long.toString(s.heapUsedBytes() / (1024 * 1024))).orElse("-"));
        }
        if (state.redis() != null) {
            URI redis = URI.create(state.redis().url());
            out.printf("%-8s %-8d %-26s %-6s%n", "redis", state.redis().pid(), state.redis().url(),
                    RedisServer.ping(redis.getHost(), redis.getPort()) ? "up" : "dead");
        }
        return 0;
    }
}
