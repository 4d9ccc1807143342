package org.sessioncluster.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ConfigKeys;

/**
 * 2,000 keep-alive clients at once (loopback, bounded): each has been served and keeps its connection open; the
 * balancer answers requests spread over all of them about as fast as over one idle connection, and its heap does
 * not grow while they stay.
 */
class ManyConnectionsIT {
    private static final int CONNECTIONS = 2_000;
    private static final byte[] GET =
            "GET /health HTTP/1.1\r\nHost: balancer\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void twoThousandKeepAliveClientsKeepP99AndHeapFlat() throws Exception {
        Assumptions.assumeTrue(openFilesLimit() >= 3 * CONNECTIONS, "the open-files limit is below " + 3 * CONNECTIONS);
        Tomcat node = TestNode.start(dir, new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(
                    jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp)
                    throws IOException {
                resp.getWriter().write("ok");
            }
        });
        List<Socket> clients = new ArrayList<>();
        // the node here registers once and never renews: it stays for the test's length
        try (LoadBalancer balancer = TestBalancer.start(dir, Map.of(ConfigKeys.REGISTRY_EVICTION_MS, "600000"))) {
            balancer.pool().register("node-1", TestNode.url(node));

            Socket one = connect(balancer.port());
            clients.add(one);
            for (int i = 0; i < 500; i++) {
                exchange(one); // warm: the JIT, the node's pool
            }
            double idleP99 = p99(List.of(one), 500);

            for (int i = 1; i < CONNECTIONS; i++) {
                Socket s = connect(balancer.port());
                clients.add(s);
                exchange(s); // served once, then kept open
            }
            long heapBefore = usedHeapAfterGc();
            double busyP99 = p99(clients, 4_000);
            for (int round = 0; round < 3; round++) {
                p99(clients, 4_000);
            }
            long heapAfter = usedHeapAfterGc();

            System.out.printf(
                    "p99 over 1 connection %.2f ms, spread over %d: %.2f ms; heap %d -> %d MB%n",
                    idleP99, CONNECTIONS, busyP99, heapBefore >> 20, heapAfter >> 20);
            assertThat(clients).allMatch(s -> !s.isClosed());
            assertThat(busyP99)
                    .as(
                            "p99 with %d open connections within 3 x the idle p99 (%.2f ms; at least 1 ms: a loopback"
                                    + " p99 below that moves with the machine)",
                            CONNECTIONS, idleP99)
                    .isLessThanOrEqualTo(3 * Math.max(idleP99, 1.0));
            assertThat(heapAfter - heapBefore)
                    .as("heap growth while 2,000 connections stay open and 16,000 requests pass")
                    .isLessThan(16L << 20);
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            node.stop();
            node.destroy();
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return s;
    }

    /** One GET on the connection, its answer read to the end of its body. */
    private static void exchange(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(GET);
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the balancer closed the connection");
            }
            head.append((char) b);
        }
        String h = head.toString().toLowerCase(java.util.Locale.ROOT);
        assertThat(h).startsWith("http/1.1 200");
        int at = h.indexOf("content-length:");
        if (at >= 0) {
            int length =
                    Integer.parseInt(h.substring(at + 15, h.indexOf("\r\n", at)).trim());
            in.readNBytes(length);
        } else {
            readChunked(in);
        }
    }

    private static void readChunked(InputStream in) throws IOException {
        while (true) {
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) != '\n'; ) {
                line.append((char) b);
            }
            int size = Integer.parseInt(line.toString().trim(), 16);
            in.readNBytes(size + 2);
            if (size == 0) {
                return;
            }
        }
    }

    /** The p99 in ms of {@code count} requests, one after the other, over the connections in turn. */
    private static double p99(List<Socket> over, int count) throws IOException {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            exchange(over.get(i % over.size()));
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return nanos[(int) (count * 0.99)] / 1e6;
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc(); // a measurement, not a synchronisation
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long openFilesLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return "unlimited".equals(soft) ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return 0;
    }
}
