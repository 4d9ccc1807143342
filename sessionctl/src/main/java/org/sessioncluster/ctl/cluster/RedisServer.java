package org.sessioncluster.ctl.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import redis.embedded.core.ExecutableProvider;

/**
 * Starts a Redis for the redis session mode when the config names none: the system's {@code redis-server}
 * when it is on the PATH, otherwise the linux-amd64 binary bundled in the embedded-redis jar.
 */
public final class RedisServer {
    /** Which redis-server binary to run. */
    public enum Binary { AUTO, SYSTEM, BUNDLED }

    private RedisServer() {
    }

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
                throw new LaunchException("redis-server is not on the PATH (install it, e.g. apt-get install redis-server)");
            }
        }
        try {
            return ExecutableProvider.newJarResourceProvider().get().toPath();
        } catch (IOException | RuntimeException e) {
            throw new LaunchException("no redis-server on the PATH and the bundled one is not available for this"
                    + " platform (" + e.getMessage() + "); install redis-server or set redis.address", e);
        }
    }

    /** Starts redis-server on host:port without persistence; returns once it answers PING. */
    static ManagedProcess start(Path binary, String host, int port, Path log, long timeoutMillis) {
        return start("redis", binary, host, port, log, timeoutMillis, List.of());
    }

    /** Starts a replica of the primary at host:primaryPort. */
    static ManagedProcess startReplica(Path binary, String host, int port, int primaryPort, Path log, long timeoutMillis) {
        return start("redis-replica", binary, host, port, log, timeoutMillis, List.of("--replicaof", host, Integer.toString(primaryPort)));
    }

    /**
     * Starts a Sentinel that watches the primary at host:primaryPort under {@code master}: it declares the
     * primary down after 1 s of silence and promotes the replica (a quorum of 1: one Sentinel, one machine).
     */
    static ManagedProcess startSentinel(Path binary, String host, int port, String master, int primaryPort, Path dir, long timeoutMillis) {
        Path conf = dir.resolve("sentinel.conf"); // Sentinel rewrites its own config file: it must be writable
        try {
            Files.createDirectories(dir);
            Files.writeString(conf, String.join("\n",
                    "port " + port,
                    "bind " + host,
                    "sentinel monitor " + master + " " + host + " " + primaryPort + " 1",
                    "sentinel down-after-milliseconds " + master + " 1000",
                    "sentinel failover-timeout " + master + " 5000",
                    "sentinel parallel-syncs " + master + " 1", ""));
        } catch (IOException e) {
            throw new LaunchException("cannot write " + conf + ": " + e.getMessage(), e);
        }
        ManagedProcess process = ManagedProcess.start("redis-sentinel", List.of(binary.toString(), conf.toString(), "--sentinel"),
                dir.resolve("sentinel.log"));
        awaitPing(process, binary, host, port, timeoutMillis);
        return process;
    }

    private static ManagedProcess start(String name, Path binary, String host, int port, Path log, long timeoutMillis, List<String> more) {
        // A folder of its own: a replica stores the primary's snapshot (dump.rdb) in its working folder, and a
        // Redis started later in the same folder would load it (an older redis-server fails on a newer format).
        Path data = log.toAbsolutePath().getParent().resolve(name + "-" + port + "-data");
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new LaunchException("cannot create " + data + ": " + e.getMessage(), e);
        }
        List<String> command = new java.util.ArrayList<>(List.of(binary.toString(),
                "--port", Integer.toString(port), "--bind", host, "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--protected-mode", "yes", "--dir", data.toString()));
        command.addAll(more);
        ManagedProcess process = ManagedProcess.start(name, command, log);
        awaitPing(process, binary, host, port, timeoutMillis);
        return process;
    }

    private static void awaitPing(ManagedProcess process, Path binary, String host, int port, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!ping(host, port)) {
            if (!process.isAlive()) {
                throw new LaunchException("redis-server exited at start (" + binary + "):\n" + process.logTail(10));
            }
            if (System.currentTimeMillis() > deadline) {
                process.kill();
                throw new LaunchException("redis-server did not answer PING on " + host + ":" + port + " within "
                        + timeoutMillis + " ms:\n" + process.logTail(10));
            }
            pause(50);
        }
    }

    /**
     * Asks the config's first Sentinel (redis.sentinels) about redis.sentinel.master: the port of the primary it names for {@code master} (-1 when it does not answer), and
     * how many replicas it knows ({@code SENTINEL REPLICAS}).
     */
    public static int[] sentinelView(org.sessioncluster.config.ClusterConfig config) {
        java.net.URI sentinel = java.net.URI.create(config.redisSentinels().get(0));
        return sentinelView(sentinel.getHost(), sentinel.getPort(), config.redisSentinelMaster());
    }

    /** The same, for one Sentinel at host:port watching {@code master}. */
    public static int[] sentinelView(String host, int port, String master) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out.write(("SENTINEL get-master-addr-by-name " + master + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int primary = -1;
            if (in.readLine().startsWith("*2")) { // *2, $len, host, $len, port
                in.readLine();
                in.readLine();
                in.readLine();
                primary = Integer.parseInt(in.readLine().trim());
            }
            out.write(("SENTINEL replicas " + master + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = in.readLine();
            int replicas = head != null && head.startsWith("*") ? Integer.parseInt(head.substring(1).trim()) : 0;
            return new int[] {primary, Math.max(0, replicas)};
        } catch (IOException | RuntimeException e) {
            return new int[] {-1, 0};
        }
    }

    /** True when a Redis answers PING at host:port. */
    public static boolean ping(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
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
