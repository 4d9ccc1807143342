package org.sessioncluster.ctl.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.sessioncluster.load.meter.RespConnection;

/**
 * A Redis Cluster of 3 primaries and 3 replicas on one host, made the way {@code redis-cli --cluster create}
 * makes one, with the commands it sends (so the bundled redis-server, which comes without redis-cli, works
 * too): every node MEETs the first, each primary takes a third of the 16384 slots, each replica REPLICATEs
 * one primary; then it waits until every node reports {@code cluster_state:ok} and every replica is in sync.
 */
public final class RedisClusterSetup {
    public static final int PRIMARIES = 3;
    static final int SLOTS = 16384;
    private static final long JOIN_TIMEOUT_MS = 30_000;

    private RedisClusterSetup() {}

    /** The started nodes, primaries first (ports[0..2]), then their replicas in the same order. */
    record Started(List<ManagedProcess> processes, List<String> addresses) {}

    static Started start(RedisServer.Setup setup, List<Integer> ports, Path logs, Consumer<String> progress) {
        String host = setup.host();
        RespConnection.Access access = setup.access();
        if (ports.size() != 2 * PRIMARIES) {
            throw new IllegalArgumentException(
                    "a cluster of " + PRIMARIES + " primaries needs " + 2 * PRIMARIES + " ports");
        }
        List<ManagedProcess> started = new ArrayList<>();
        try {
            for (int port : ports) {
                started.add(RedisServer.startClusterNode(setup, port, logs.resolve("redis-cluster-" + port + ".log")));
            }
            join(host, ports, access);
            List<String> addresses =
                    ports.stream().map(p -> "redis://" + host + ":" + p).toList();
            progress.accept("started a Redis Cluster: primaries " + ports.subList(0, PRIMARIES) + ", replicas "
                    + ports.subList(PRIMARIES, ports.size()) + " on " + host + " (pids "
                    + started.stream().map(ManagedProcess::pid).toList() + "), cluster_state:ok");
            return new Started(started, addresses);
        } catch (RuntimeException e) {
            started.forEach(ManagedProcess::kill);
            throw e;
        }
    }

    private static void join(String host, List<Integer> ports, RespConnection.Access access) {
        try {
            List<String> ids = new ArrayList<>();
            for (int port : ports) {
                try (RespConnection c = RespConnection.open(host, port, false, access, 2000)) {
                    ids.add(String.valueOf(c.call("CLUSTER", "MYID")));
                    if (port != ports.get(0)) {
                        c.call("CLUSTER", "MEET", host, Integer.toString(ports.get(0)));
                    }
                }
            }
            for (int i = 0; i < PRIMARIES; i++) {
                int from = i * SLOTS / PRIMARIES;
                int to = (i + 1) * SLOTS / PRIMARIES - 1;
                List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
                for (int slot = from; slot <= to; slot++) {
                    command.add(Integer.toString(slot));
                }
                try (RespConnection c = RespConnection.open(host, ports.get(i), false, access, 2000)) {
                    c.call(command.toArray(String[]::new));
                }
            }
            // a replica can only follow a primary it has heard of over the cluster bus
            awaitAll(host, ports, access, "every node to know the other " + (ports.size() - 1), c -> {
                String nodes = String.valueOf(c.call("CLUSTER", "NODES"));
                return nodes.lines().count() == ports.size() && !nodes.contains("handshake");
            });
            for (int i = PRIMARIES; i < ports.size(); i++) {
                try (RespConnection c = RespConnection.open(host, ports.get(i), false, access, 2000)) {
                    c.call("CLUSTER", "REPLICATE", ids.get(i - PRIMARIES));
                }
            }
            awaitAll(
                    host,
                    ports,
                    access,
                    "cluster_state:ok on every node",
                    c -> String.valueOf(c.call("CLUSTER", "INFO")).contains("cluster_state:ok"));
            awaitAll(host, ports.subList(PRIMARIES, ports.size()), access, "every replica in sync", c -> {
                String info = String.valueOf(c.call("INFO", "replication"));
                return info.contains("role:slave") && info.contains("master_link_status:up");
            });
        } catch (IOException e) {
            throw new LaunchException(
                    "cannot join the Redis Cluster nodes on " + host + " " + ports + ": " + e.getMessage(), e);
        }
    }

    private interface Check {
        boolean holds(RespConnection c) throws IOException;
    }

    private static void awaitAll(
            String host, List<Integer> ports, RespConnection.Access access, String what, Check check)
            throws IOException {
        long deadline = System.currentTimeMillis() + JOIN_TIMEOUT_MS;
        for (int port : ports) {
            while (true) {
                try (RespConnection c = RespConnection.open(host, port, false, access, 2000)) {
                    if (check.holds(c)) {
                        break;
                    }
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new LaunchException("the Redis Cluster on " + host + " " + ports + " did not reach " + what
                            + " within " + JOIN_TIMEOUT_MS / 1000 + " s (node " + port + " not yet)");
                }
                RedisServer.pause(100);
            }
        }
    }
}
