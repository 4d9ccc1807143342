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
        ManagedProcess process = ManagedProcess.start("redis", List.of(binary.toString(),
                "--port", Integer.toString(port), "--bind", host, "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--protected-mode", "yes"), log);
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
        return process;
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
