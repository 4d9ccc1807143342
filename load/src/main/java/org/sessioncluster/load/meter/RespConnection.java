package org.sessioncluster.load.meter;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * One short RESP conversation with a Redis or a Sentinel, for the tools that only ask (PING, INFO,
 * SENTINEL): plain or TLS ({@code rediss://}), with AUTH when a password is given. The nodes use Redisson.
 */
public final class RespConnection implements Closeable {
    /**
     * How to get in: an ACL user (empty: the default user), a password (empty: no AUTH), and for TLS a
     * truststore (null: the JVM's CAs) with its password.
     */
    public record Access(String username, String password, Path truststore, String truststorePassword) {
        public static final Access NONE = new Access("", "", null, "");
    }

    /** A Redis error answer (-ERR, -WRONGPASS, -NOAUTH …). */
    public static final class RedisError extends IOException {
        RedisError(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RespConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /** Connects to {@code redis://host:port} or {@code rediss://host:port} and logs in when Access has a password. */
    public static RespConnection open(String address, Access access, int timeoutMillis) throws IOException {
        URI uri = URI.create(address);
        return open(uri.getHost(), uri.getPort(), "rediss".equals(uri.getScheme()), access, timeoutMillis);
    }

    public static RespConnection open(String host, int port, boolean tls, Access access, int timeoutMillis)
            throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), timeoutMillis);
            plain.setSoTimeout(Math.max(timeoutMillis, 1000));
            Socket socket = tls ? tls(plain, host, port, access) : plain;
            RespConnection c = new RespConnection(socket);
            if (!access.password().isEmpty()) {
                if (access.username().isEmpty()) {
                    c.call("AUTH", access.password());
                } else {
                    c.call("AUTH", access.username(), access.password());
                }
            }
            return c;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static Socket tls(Socket plain, String host, int port, Access access) throws IOException {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (access.truststore() == null) {
                trust.init((KeyStore) null);
            } else {
                KeyStore store = KeyStore.getInstance(
                        access.truststore().toFile(),
                        access.truststorePassword().toCharArray());
                trust.init(store);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
            socket.startHandshake();
            return socket;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the truststore " + access.truststore() + ": " + e.getMessage(), e);
        }
    }

    /** Sends one command and reads its answer: a String, a Long, null, or a List of those; an error answer throws. */
    public Object call(String... args) throws IOException {
        ByteArrayOutputStream command = new ByteArrayOutputStream();
        command.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            command.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            command.writeBytes(b);
            command.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(command.toByteArray());
        out.flush();
        return read();
    }

    private Object read() throws IOException {
        String line = line();
        if (line.isEmpty()) {
            throw new IOException("empty answer from Redis");
        }
        String rest = line.substring(1);
        switch (line.charAt(0)) {
            case '+':
                return rest;
            case '-':
                throw new RedisError(rest);
            case ':':
                return Long.parseLong(rest.trim());
            case '$': {
                int length = Integer.parseInt(rest.trim());
                if (length < 0) {
                    return null;
                }
                String bulk = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                line(); // the CRLF after the bulk
                return bulk;
            }
            case '*': {
                int n = Integer.parseInt(rest.trim());
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("not a Redis answer: " + line);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("Redis closed the connection");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
