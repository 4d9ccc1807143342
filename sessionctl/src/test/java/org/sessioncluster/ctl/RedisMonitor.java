package org.sessioncluster.ctl;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.sessioncluster.load.meter.RespConnection;

/**
 * Redis's MONITOR on a connection of its own: counts the commands clients send (round trips), not the
 * ones scripts run inside Redis ({@code [0 lua]}) and not the clients' keep-alive PINGs or a cluster
 * client's CLUSTER NODES.
 */
public final class RedisMonitor implements AutoCloseable {
    private final Socket socket;
    private final String host;
    private final int port;
    private final AtomicLong commands = new AtomicLong();
    private final List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile String lastMarker = "";
    private long markers;

    public RedisMonitor(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 2000);
        OutputStream out = socket.getOutputStream();
        out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(
                () -> {
                    try {
                        for (String line; (line = in.readLine()) != null; ) {
                            if (line.contains("\"ECHO\" \"monitor-marker-")) {
                                lastMarker = line.substring(line.indexOf("monitor-marker-"), line.length() - 1);
                            } else if (line.startsWith("+")
                                    && line.contains("] \"")
                                    && !line.contains("[0 lua]")
                                    && !line.contains("] \"PING\"")
                                    // a Redis Cluster client's look at the slot map (once a second), not a request's
                                    && !line.contains("] \"CLUSTER\"")
                                    && !line.contains("] \"ping\"")) {
                                commands.incrementAndGet();
                                seen.add(line.length() > 160 ? line.substring(0, 160) : line);
                            }
                        }
                    } catch (IOException e) {
                        // closed
                    }
                },
                "redis-monitor");
        reader.setDaemon(true);
        reader.start();
        settle();
    }

    /** Waits until MONITOR has shown everything sent before this call (a marker sent on another connection). */
    public void settle() throws IOException {
        String marker = "monitor-marker-" + (++markers);
        try (RespConnection c = RespConnection.open(host, port, false, RespConnection.Access.NONE, 2000)) {
            c.call("ECHO", marker);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> marker.equals(lastMarker));
    }

    /** Commands seen since the last reset, once everything sent has arrived. */
    public long commandsSinceReset() throws IOException {
        settle();
        return commands.get();
    }

    public void reset() throws IOException {
        settle();
        commands.set(0);
        seen.clear();
    }

    /** The commands seen since the last reset (for a failure message). */
    public String seen() {
        synchronized (seen) {
            return String.join("\n", seen);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
