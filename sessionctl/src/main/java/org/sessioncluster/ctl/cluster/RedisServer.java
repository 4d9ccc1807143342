package org.sessioncluster.ctl.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.load.meter.RespConnection;
import redis.embedded.core.ExecutableProvider;

/**
 * Starts a Redis for the redis session mode when the config names none: the system's {@code redis-server}
 * when it is on the PATH, otherwise the linux-amd64 binary bundled in the embedded-redis jar.
 */
public final class RedisServer {
    /** Which redis-server binary to run. */
    public enum Binary {
        AUTO,
        SYSTEM,
        BUNDLED
    }

    private RedisServer() {}

    /** The binary to run, or a LaunchException saying why there is none. */
    public static Path locate(Binary choice) {
        if (choice != Binary.BUNDLED) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
            if (choice == Binary.SYSTEM) {
                throw new LaunchException(
                        "redis-server is not on the PATH (install it, e.g. apt-get install redis-server)");
            }
        }
        try {
            return ExecutableProvider.newJarResourceProvider().get().toPath();
        } catch (IOException | RuntimeException e) {
            throw new LaunchException(
                    "no redis-server on the PATH and the bundled one is not available for this" + " platform ("
                            + e.getMessage() + "); install redis-server or set redis.address",
                    e);
        }
    }

    /** How the tools log in to the config's Redis and Sentinels: redis.username, redis.password, the TLS truststore. */
    public static RespConnection.Access access(ClusterConfig config) {
        return new RespConnection.Access(
                config.redis().username(),
                config.redis().password(),
                config.redis().tlsTruststore().orElse(null),
                config.redis().tlsTruststorePassword());
    }

    /**
     * How a run starts its Redis servers: which binary, on which host, after which command {@code prefix} (e.g. in
     * a network namespace; empty: none), with which login (with a password in {@code access} Redis requires it:
     * requirepass, and an ACL user of that name when one is given).
     */
    public record Setup(Path binary, String host, RespConnection.Access access, List<String> prefix) {
        /** This machine's (or the bundled) redis-server on 127.0.0.1, no password; for tools and tests. */
        public static Setup loopback() {
            return new Setup(locate(Binary.AUTO), "127.0.0.1", RespConnection.Access.NONE, List.of());
        }
    }

    /** How long a Redis may take to answer its first PING. */
    static final long START_TIMEOUT_MILLIS = 15_000;

    /** Starts redis-server on the setup's host and {@code port} without persistence; returns once it answers PING. */
    public static ManagedProcess start(Setup setup, int port, Path log) {
        return start("redis", setup, port, log, List.of(), List.of());
    }

    /** A Redis on 127.0.0.1:port ({@link Setup#loopback()}); for tools and tests. */
    public static ManagedProcess startOnLoopback(int port, Path log) {
        return start(Setup.loopback(), port, log);
    }

    /** A port on 127.0.0.1 that is free now and that this JVM has not handed out lately. */
    public static int freeLoopbackPort() {
        return Ports.free("127.0.0.1", 1).get(0);
    }

    /** One Redis Cluster node on 127.0.0.1:port, not joined to any cluster, no password; for tools and tests. */
    public static ManagedProcess startClusterNodeOnLoopback(int port, Path log) {
        return startClusterNode(Setup.loopback(), port, log);
    }

    /** Starts a replica of the primary at host:primaryPort (it logs in to the primary with the same password). */
    static ManagedProcess startReplica(Setup setup, int port, int primaryPort, Path log) {
        return start(
                "redis-replica",
                setup,
                port,
                log,
                List.of("--replicaof", setup.host(), Integer.toString(primaryPort)),
                primaryLogin(setup.access()));
    }

    /**
     * Starts one node of a Redis Cluster (not yet joined: see {@link RedisClusterSetup}). It fails over after
     * 1 s without its primary, and a replica may take over however long its link was down (a test cluster
     * on one machine, not a data centre's).
     */
    static ManagedProcess startClusterNode(Setup setup, int port, Path log) {
        try {
            // a cluster node remembers its peers in nodes.conf: one left by an earlier run would rejoin it
            Files.deleteIfExists(
                    log.toAbsolutePath().getParent().resolve("redis-cluster-" + port + "-data/nodes.conf"));
        } catch (IOException e) {
            throw new LaunchException("cannot remove an earlier run's nodes.conf: " + e.getMessage(), e);
        }
        return start(
                "redis-cluster",
                setup,
                port,
                log,
                List.of(
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        "nodes.conf",
                        "--cluster-node-timeout",
                        "1000",
                        "--cluster-replica-validity-factor",
                        "0"),
                primaryLogin(setup.access()));
    }

    /**
     * Starts a Sentinel that watches the primary at host:primaryPort under {@code master}: it declares the
     * primary down after 1 s of silence and promotes the replica (a quorum of 1: one Sentinel, one machine).
     */
    static ManagedProcess startSentinel(Setup setup, int port, String master, int primaryPort, Path dir) {
        String host = setup.host();
        RespConnection.Access access = setup.access();
        Path conf = dir.resolve("sentinel.conf"); // Sentinel rewrites its own config file: it must be writable
        List<String> lines = new ArrayList<>(List.of(
                "port " + port,
                "bind " + host,
                "sentinel monitor " + master + " " + host + " " + primaryPort + " 1",
                "sentinel down-after-milliseconds " + master + " 1000",
                "sentinel failover-timeout " + master + " 5000",
                "sentinel parallel-syncs " + master + " 1"));
        if (!access.password().isEmpty()) {
            // the Sentinel logs in to the Redis it watches, and asks the same of its own clients
            lines.add("sentinel auth-pass " + master + " " + access.password());
            if (!access.username().isEmpty()) {
                lines.add("sentinel auth-user " + master + " " + access.username());
                lines.add("user " + access.username() + " on >" + access.password() + " ~* &* +@all");
            }
            lines.add("requirepass " + access.password());
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(conf, String.join("\n", lines) + "\n");
            restrict(conf);
        } catch (IOException e) {
            throw new LaunchException("cannot write " + conf + ": " + e.getMessage(), e);
        }
        List<String> command = new ArrayList<>(setup.prefix());
        command.addAll(List.of(setup.binary().toString(), conf.toString(), "--sentinel"));
        ManagedProcess process = ManagedProcess.start("redis-sentinel", command, dir.resolve("sentinel.log"));
        awaitPing(process, setup, port);
        return process;
    }

    private static ManagedProcess start(
            String name, Setup setup, int port, Path log, List<String> more, List<String> moreAuth) {
        Path binary = setup.binary();
        String host = setup.host();
        RespConnection.Access access = setup.access();
        List<String> prefix = setup.prefix();
        // A folder of its own: a replica stores the primary's snapshot (dump.rdb) in its working folder, and a
        // Redis started later in the same folder would load it (an older redis-server fails on a newer format).
        Path data = log.toAbsolutePath().getParent().resolve(name + "-" + port + "-data");
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new LaunchException("cannot create " + data + ": " + e.getMessage(), e);
        }
        List<String> command = new java.util.ArrayList<>(List.of(
                binary.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                host,
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--protected-mode",
                // in a network lab's namespace the clients are the lab's other members, never loopback; only
                // the lab's own members reach that address
                prefix.isEmpty() ? "yes" : "no",
                // expiry notices: the redis mode tells a timed-out session's listeners when Redis expires it
                "--notify-keyspace-events",
                "Ex",
                "--dir",
                data.toString()));
        command.addAll(more);
        if (!access.password().isEmpty()) {
            // From a config file of its own (mode 600), not the command line, where ps would show the password.
            Path auth = data.resolve("auth.conf");
            List<String> lines = new ArrayList<>(List.of("requirepass " + access.password()));
            if (!access.username().isEmpty()) {
                lines.add("user " + access.username() + " on >" + access.password() + " ~* &* +@all");
            }
            lines.addAll(moreAuth);
            try {
                Files.writeString(auth, String.join("\n", lines) + "\n");
                restrict(auth);
            } catch (IOException e) {
                throw new LaunchException("cannot write " + auth + ": " + e.getMessage(), e);
            }
            command.add(1, auth.toString()); // the config file comes first, the options after it
        }
        command.addAll(0, prefix);
        ManagedProcess process = ManagedProcess.start(name, command, log);
        awaitPing(process, setup, port);
        return process;
    }

    /** How a replica logs in to its primary: with the same password (and ACL user) as every client. */
    private static List<String> primaryLogin(RespConnection.Access access) {
        return access.username().isEmpty()
                ? List.of("masterauth " + access.password())
                : List.of("masterauth " + access.password(), "masteruser " + access.username());
    }

    /** Only the owner may read a file that holds a password. */
    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own permissions apply
        }
    }

    private static void awaitPing(ManagedProcess process, Setup setup, int port) {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (!ping(setup.host(), port, setup.access())) {
            if (!process.isAlive()) {
                throw new LaunchException(
                        "redis-server exited at start (" + setup.binary() + "):\n" + process.logTail(10));
            }
            if (System.currentTimeMillis() > deadline) {
                process.kill();
                throw new LaunchException("redis-server did not answer PING on " + setup.host() + ":" + port
                        + " within " + START_TIMEOUT_MILLIS + " ms:\n" + process.logTail(10));
            }
            pause(50);
        }
    }

    /**
     * Asks the config's first Sentinel (redis.sentinels) about redis.sentinel.master: the port of the primary
     * it names (-1 when it does not answer), and how many replicas it knows ({@code SENTINEL REPLICAS}).
     */
    public static int[] sentinelView(ClusterConfig config) {
        java.net.URI sentinel = java.net.URI.create(config.redis().sentinels().get(0));
        return sentinelView(
                sentinel.getHost(), sentinel.getPort(), config.redis().sentinelMaster(), access(config));
    }

    /** The same, for one Sentinel at host:port watching {@code master}. */
    public static int[] sentinelView(String host, int port, String master, RespConnection.Access access) {
        try (RespConnection sentinel = RespConnection.open(host, port, false, access, 500)) {
            int primary = -1;
            if (sentinel.call("SENTINEL", "get-master-addr-by-name", master) instanceof List<?> addr
                    && addr.size() == 2) {
                primary = Integer.parseInt(String.valueOf(addr.get(1)).trim());
            }
            int replicas = sentinel.call("SENTINEL", "replicas", master) instanceof List<?> list ? list.size() : 0;
            return new int[] {primary, replicas};
        } catch (IOException | RuntimeException e) {
            return new int[] {-1, 0};
        }
    }

    /** True when a Redis answers PING at host:port (after AUTH when access has a password). */
    public static boolean ping(String host, int port, RespConnection.Access access) {
        try (RespConnection redis = RespConnection.open(host, port, false, access, 500)) {
            return "PONG".equals(redis.call("PING"));
        } catch (IOException e) {
            return false;
        }
    }

    /** PING without a password. */
    public static boolean ping(String host, int port) {
        return ping(host, port, RespConnection.Access.NONE);
    }

    /** PING at a redis:// or rediss:// address. */
    public static boolean ping(String address, RespConnection.Access access) {
        try (RespConnection redis = RespConnection.open(address, access, 500)) {
            return "PONG".equals(redis.call("PING"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while waiting", e);
        }
    }
}
