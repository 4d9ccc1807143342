package org.sessioncluster.ctl.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.RedisConfig;
import org.sessioncluster.ctl.BadInputException;
import org.sessioncluster.ctl.cluster.ClusterStateException;
import org.sessioncluster.ctl.cluster.LaunchException;
import org.sessioncluster.ctl.cluster.RedisClusterView;
import org.sessioncluster.ctl.cluster.RunState;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.node.redis.RedisConnectProblem;
import org.sessioncluster.tunnel.ForwardSpec;
import org.sessioncluster.tunnel.SshConnector;
import org.sessioncluster.tunnel.Tunnel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sessionctl store inspect}: the sessions held in Redis, directly or through an SSH local forward. */
@Command(
        name = "store",
        mixinStandardHelpOptions = true,
        description = "Look into the session store.",
        subcommands = StoreCommand.Inspect.class)
public class StoreCommand {
    /** Redisson's Tomcat manager keeps each session as a hash under this name (plus an optional key prefix). */
    static final String SESSION_KEYS = "*redisson:tomcat_session:*";

    @Command(
            name = "inspect",
            mixinStandardHelpOptions = true,
            description =
                    "List the sessions in Redis with their TTL and size. With --via, Redis is reached through an SSH bastion"
                            + " (a local forward, like 'cf ssh -L' to a platform's database).")
    public static class Inspect implements Callable<Integer> {
        @Mixin
        ConfigOptions configOptions;

        @Option(
                names = "--redis",
                paramLabel = "redis://HOST:PORT",
                description = "the Redis to read (default: the running cluster's,"
                        + " else redis.address); with --via, as the bastion sees it")
        String redis;

        @Option(names = "--via", paramLabel = "USER@HOST[:PORT]", description = "reach Redis through this SSH server")
        String via;

        @Mixin
        SshOptions ssh;

        @Option(
                names = "--limit",
                defaultValue = "50",
                description = "list at most this many sessions (default: ${DEFAULT-VALUE}; all are counted)")
        int limit;

        @Option(names = "--json", description = "print JSON instead of a table")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<String> shards =
                    redis == null && via == null ? loginConfig().redis().clusterNodes() : List.of();
            if (!shards.isEmpty()) {
                return inspectCluster(shards);
            }
            URI address = URI.create(redisAddress());
            if (via == null) {
                return inspect(address.toString(), "");
            }
            try (SshConnector connector = ssh.connector(via);
                    Tunnel tunnel = Tunnel.open(
                            Tunnel.Direction.LOCAL,
                            connector,
                            new ForwardSpec("127.0.0.1", 0, address.getHost(), address.getPort()),
                            Duration.ofSeconds(5))) {
                String local = address.getScheme() + "://127.0.0.1:"
                        + tunnel.entrance().getPort();
                int exit = inspect(local, " (through " + tunnel.describe() + ")");
                if (!json) {
                    spec.commandLine()
                            .getOut()
                            .println("tunnel: " + tunnel.stats().line());
                }
                return exit;
            }
        }

        /** The config that says how to log in: the running cluster's, else the one --config names. */
        private ClusterConfig loginConfig() {
            return RunState.read(configOptions.runDir.path()).isPresent()
                    ? RunningCluster.attach(configOptions.runDir.path()).config()
                    : configOptions.load(java.util.Map.of());
        }

        private String redisAddress() {
            if (redis != null) {
                if (!RedisConfig.isAddress(redis)) {
                    throw new BadInputException("--redis '" + redis + "' is not redis://host:port");
                }
                return redis;
            }
            if (RunState.read(configOptions.runDir.path()).isPresent()) {
                ClusterConfig running =
                        RunningCluster.attach(configOptions.runDir.path()).config();
                if (!running.redis().address().isBlank()) {
                    return running.redis().address();
                }
                if (!running.redis().sentinels().isEmpty()) {
                    // behind Sentinel: inspect whichever Redis is the primary now
                    URI sentinel = URI.create(running.redis().sentinels().get(0));
                    int primary = org.sessioncluster.ctl.cluster.RedisServer.sentinelView(running)[0];
                    if (primary < 0) {
                        throw new LaunchException("the Sentinel at " + sentinel + " does not name a primary for '"
                                + running.redis().sentinelMaster() + "'");
                    }
                    return "redis://" + sentinel.getHost() + ":" + primary;
                }
            }
            ClusterConfig config = configOptions.load(java.util.Map.of());
            if (config.redis().address().isBlank()) {
                throw new ClusterStateException("no Redis to inspect: no redis-mode cluster runs from "
                        + configOptions.runDir.path() + " and redis.address is empty; give --redis redis://host:port");
            }
            return config.redis().address();
        }

        /** A Redis Cluster: the same listing, each session with the shard (primary) that holds it. */
        private int inspectCluster(List<String> nodes) {
            var access = org.sessioncluster.ctl.cluster.RedisServer.access(loginConfig());
            RedisClusterView view = RedisClusterView.of(nodes, access)
                    .orElseThrow(() -> new LaunchException("no node of the Redis Cluster " + nodes + " answers"));
            view.problem().ifPresent(p -> {
                throw new LaunchException(p);
            });
            Config config = new Config();
            var server = config.useClusterServers()
                    .setMasterConnectionMinimumIdleSize(1)
                    .setMasterConnectionPoolSize(2)
                    .setConnectTimeout(5_000)
                    .setRetryAttempts(1);
            nodes.forEach(server::addNodeAddress);
            org.sessioncluster.node.mode.RedisLogin.apply(loginConfig(), server);
            return inspect(config, "the Redis Cluster " + nodes, view);
        }

        private int inspect(String address, String how) {
            Config config = new Config();
            var server = config.useSingleServer()
                    .setAddress(address)
                    .setConnectionMinimumIdleSize(1)
                    .setConnectionPoolSize(2)
                    .setConnectTimeout(5_000)
                    .setRetryAttempts(1);
            org.sessioncluster.node.mode.RedisLogin.apply(loginConfig(), server);
            return inspect(config, address + how, null);
        }

        private int inspect(Config config, String where, RedisClusterView view) {
            RedissonClient client;
            try {
                client = Redisson.create(config);
            } catch (RuntimeException e) {
                throw new LaunchException(RedisConnectProblem.describe(
                        e, where, !loginConfig().redis().password().isEmpty()));
            }
            try {
                List<SessionKey> keys = new ArrayList<>();
                long total = 0;
                long bytes = 0;
                // the Redis modes' layouts: the redis mode's hashes <prefix>{id} (not their :lock and :expires
                // keys), Redisson's redisson:tomcat_session:<id> and Spring Session's <namespace>:sessions:<id>
                List<String> found = new ArrayList<>();
                client.getKeys()
                        .getKeys(KeysScanOptions.defaults()
                                .pattern(loginConfig().redis().keyPrefix() + "{*}")
                                .chunkSize(200))
                        .forEach(found::add);
                client.getKeys()
                        .getKeys(
                                KeysScanOptions.defaults().pattern(SESSION_KEYS).chunkSize(200))
                        .forEach(found::add);
                client.getKeys()
                        .getKeys(KeysScanOptions.defaults()
                                .pattern(org.sessioncluster.node.springsession.SpringSessionInstaller.NAMESPACE
                                        + ":sessions:*")
                                .chunkSize(200))
                        .forEach(found::add);
                for (String key : found) {
                    total++;
                    long size = client.getBucket(key, StringCodec.INSTANCE).sizeInMemory();
                    bytes += size;
                    if (keys.size() < limit) {
                        keys.add(new SessionKey(
                                key,
                                client.getKeys().remainTimeToLive(key),
                                size,
                                client.getMap(key, StringCodec.INSTANCE).size(),
                                view == null
                                        ? ""
                                        : view.primaryOf(client.getKeys().getSlot(key))
                                                .orElse("?")));
                    }
                }
                print(keys, total, bytes, where, view != null);
                return 0;
            } finally {
                client.shutdown();
            }
        }

        private void print(List<SessionKey> keys, long total, long bytes, String where, boolean sharded) {
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectMapper mapper = new ObjectMapper();
                ObjectNode root = mapper.createObjectNode();
                root.put("redis", where);
                root.put("sessions", total);
                root.put("bytes", bytes);
                ArrayNode list = root.putArray("keys");
                keys.forEach(k -> list.addObject()
                        .put("key", k.key)
                        .put("ttlSeconds", k.ttlSeconds())
                        .put("bytes", k.bytes)
                        .put("fields", k.fields)
                        .put("shard", k.shard));
                out.println(root.toPrettyString());
                return;
            }
            out.println("redis: " + where);
            out.printf("%-64s %8s %8s %6s%s%n", "KEY", "TTL S", "BYTES", "FIELDS", sharded ? "  SHARD" : "");
            keys.forEach(k -> out.printf(
                    "%-64s %8s %8d %6d%s%n",
                    k.key,
                    k.ttlSeconds() < 0 ? "none" : Long.toString(k.ttlSeconds()),
                    k.bytes,
                    k.fields,
                    sharded ? "  " + k.shard : ""));
            out.printf(
                    "%d session%s, %d bytes%s%n",
                    total, total == 1 ? "" : "s", bytes, total > keys.size() ? " (" + keys.size() + " listed)" : "");
        }
    }

    /**
     * One session hash: its TTL in ms (negative: none), MEMORY USAGE in bytes, its number of fields, and on a
     * Redis Cluster the primary that holds it (host:port; empty otherwise).
     */
    record SessionKey(String key, long ttlMillis, long bytes, int fields, String shard) {
        long ttlSeconds() {
            return ttlMillis < 0 ? -1 : (ttlMillis + 999) / 1000;
        }
    }
}
