package org.sessioncluster.ctl.command;

import java.io.PrintWriter;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.sessioncluster.config.ExitCodes;
import org.sessioncluster.contract.BalancerStatus;
import org.sessioncluster.contract.NodeStatus;
import org.sessioncluster.ctl.cluster.ClusterNode;
import org.sessioncluster.ctl.cluster.NodeStatusClient;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunState;
import org.sessioncluster.ctl.cluster.RunningCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sessionctl status}: the balancer and one line per node of the running cluster. Exit 3 when none runs. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Show the balancer and the nodes of the running cluster.",
            "ROUTED: requests the balancer sent the node (not those a client-side balancer sent it directly, as"
                    + " load --client ribbon does); SESSIONS: sessions it holds; PEERS: members it sees on the"
                    + " cluster channel (delta, backup)."
        })
public class StatusCommand implements Callable<Integer> {
    private static final String ROW = "%-8s %-8s %-24s %-9s %-9s %6s %8s %8s %5s %7s%n";

    @Mixin
    RunDirOption runDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (RunState.read(runDir.path()).isEmpty()) {
            out.println("no cluster is running from "
                    + runDir.path().toAbsolutePath().normalize());
            return ExitCodes.NOT_MET;
        }
        RunningCluster cluster = RunningCluster.attach(runDir.path());
        out.println("mode: " + cluster.config().sessionMode().configName());
        Map<String, BalancerStatus.Backend> balancerView = new HashMap<>();
        cluster.balancer().ifPresent(b -> {
            Optional<BalancerStatus> status = cluster.balancerAdmin().flatMap(a -> a.status());
            out.printf(
                    "balancer: %s/ pid %d, %s%n",
                    cluster.balancerUrl(),
                    b.pid(),
                    status.map(s -> "policy " + s.policy() + ", requests " + s.requests() + ", errors "
                                    + s.errors() + ", retries " + s.retries()
                                    + (s.warmedUp() ? "" : ", warming its data path")
                                    + "; dashboard "
                                    + cluster.config().registry().url() + "/")
                            .orElse(b.isAlive() ? "not answering" : "dead"));
            status.ifPresent(s -> s.nodes().forEach(n -> balancerView.put(n.name(), n)));
        });
        out.printf(
                ROW, "NAME", "PID", "URL", "PROCESS", "BALANCER", "WEIGHT", "ROUTED", "SESSIONS", "PEERS", "HEAP MB");
        for (ClusterNode node : cluster.nodes()) {
            boolean alive = node.process().isAlive();
            Optional<NodeStatus> status = alive ? NodeStatusClient.fetch(node.address()) : Optional.empty();
            BalancerStatus.Backend view = balancerView.get(node.name());
            String balancer =
                    view == null ? "-" : !view.registered() ? "absent" : !view.healthy() ? "down" : view.state();
            out.printf(
                    ROW,
                    node.name(),
                    node.process().pid(),
                    node.url(),
                    !alive ? "dead" : status.isPresent() ? "up" : "no-answer",
                    balancer,
                    view == null ? "-" : Integer.toString(view.weight()),
                    view == null ? "-" : Long.toString(view.requests()),
                    status.map(s -> Integer.toString(s.sessions())).orElse("-"),
                    status.map(s -> s.channelPeers() < 0 ? "-" : Integer.toString(s.channelPeers()))
                            .orElse("-"),
                    status.map(s -> Long.toString(s.heapUsedBytes() / (1024 * 1024)))
                            .orElse("-"));
        }
        if (!cluster.config().redis().clusterNodes().isEmpty()) {
            printRedisCluster(out, cluster);
            return 0;
        }
        if (!cluster.config().redis().sentinels().isEmpty()) {
            String sentinel = cluster.config().redis().sentinels().get(0);
            int[] view = RedisServer.sentinelView(cluster.config());
            out.printf(
                    "redis:    Sentinel %s says the primary of '%s' is on port %s, with %d replica(s)%n",
                    sentinel,
                    cluster.config().redis().sentinelMaster(),
                    view[0] < 0 ? "? (no answer)" : Integer.toString(view[0]),
                    view[1]);
            cluster.redis()
                    .ifPresent(p -> out.printf(
                            "          first primary pid %d: %s%n", p.pid(), p.isAlive() ? "running" : "gone"));
            cluster.redisHelpers()
                    .forEach(p -> out.printf(
                            "          %s pid %d: %s%n", p.name(), p.pid(), p.isAlive() ? "running" : "gone"));
            return 0;
        }
        cluster.redis().ifPresent(redis -> {
            URI address = URI.create(cluster.config().redis().address());
            out.printf(
                    "redis:    %s pid %d, %s%n",
                    cluster.config().redis().address(),
                    redis.pid(),
                    RedisServer.ping(address.toString(), RedisServer.access(cluster.config()))
                            ? "up"
                            : "not answering");
        });
        return 0;
    }

    /** Each shard of a Redis Cluster: its primary, replicas, slots, keys and memory; missing slots named. */
    private static void printRedisCluster(PrintWriter out, RunningCluster cluster) {
        var access = RedisServer.access(cluster.config());
        var nodes = cluster.config().redis().clusterNodes();
        var view = org.sessioncluster.ctl.cluster.RedisClusterView.of(nodes, access);
        if (view.isEmpty()) {
            out.printf("redis:    Redis Cluster %s: no node answers%n", nodes);
            return;
        }
        out.printf("redis:    Redis Cluster, %d shard(s)%n", view.get().shards().size());
        out.printf("          %-22s %-24s %-14s %6s %10s%n", "PRIMARY", "REPLICAS", "SLOTS", "KEYS", "MEMORY");
        for (var shard : view.get().shards()) {
            long keys = -1;
            String memory = "-";
            try (var c =
                    org.sessioncluster.load.meter.RespConnection.open("redis://" + shard.primary(), access, 1000)) {
                keys = (Long) c.call("DBSIZE");
                memory = String.valueOf(c.call("INFO", "memory"))
                        .lines()
                        .filter(l -> l.startsWith("used_memory_human:"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim())
                        .findFirst()
                        .orElse("-");
            } catch (java.io.IOException | RuntimeException e) {
                // shown as '-': the shard's primary did not answer
            }
            out.printf(
                    "          %-22s %-24s %-14s %6s %10s%s%n",
                    shard.primary(),
                    shard.replicas().isEmpty() ? "none" : String.join(",", shard.replicas()),
                    String.join(",", shard.slots()),
                    keys < 0 ? "-" : Long.toString(keys),
                    memory,
                    shard.failed() ? "  FAILED" : "");
        }
        view.get().problem().ifPresent(p -> out.println("          " + p));
        if (!view.get().unreachable().isEmpty()) {
            out.println("          not answering: " + view.get().unreachable());
        }
    }
}
