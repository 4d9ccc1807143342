package org.sessioncluster.tunnel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A TCP echo service on a free loopback port: the target behind the tunnels. */
final class EchoServer implements AutoCloseable {
    private final ServerSocket socket;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "echo");
        t.setDaemon(true);
        return t;
    });

    EchoServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    threads.execute(() -> echo(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static void echo(Socket s) {
        try (s;
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // client went away
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    String target() {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        threads.shutdownNow();
    }

    /**
     * Sends {@code text} through host:port and returns what came back: as many bytes as were sent, or
     * fewer if the far side closed first (like request/response protocols, no half-close).
     */
    static String roundTrip(String host, int port, String text) throws IOException {
        byte[] sent = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(sent);
            s.getOutputStream().flush();
            return new String(s.getInputStream().readNBytes(sent.length), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
