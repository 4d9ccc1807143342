package org.sessioncluster.load.meter;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One short conversation with a Redis or a Sentinel, for the tools that only ask (PING, INFO, SENTINEL,
 * CLUSTER): over Jedis, the client the redis mode's nodes use, plain or TLS ({@code rediss://}), logged in
 * when a password is given. Answers come back as Strings, Longs, nulls and Lists of those.
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

    private final Connection connection;

    private RespConnection(Connection connection) {
        this.connection = connection;
    }

    /** Connects to {@code redis://host:port} or {@code rediss://host:port} and logs in when Access has a password. */
    public static RespConnection open(String address, Access access, int timeoutMillis) throws IOException {
        URI uri = URI.create(address);
        return open(uri.getHost(), uri.getPort(), "rediss".equals(uri.getScheme()), access, timeoutMillis);
    }

    public static RespConnection open(String host, int port, boolean tls, Access access, int timeoutMillis)
            throws IOException {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(Math.max(timeoutMillis, 1000))
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED); // a Sentinel does not know CLIENT SETINFO
        if (!access.password().isEmpty()) {
            config.password(access.password());
            if (!access.username().isEmpty()) {
                config.user(access.username());
            }
        }
        if (tls) {
            SslOptions.Builder ssl = SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL);
            if (access.truststore() != null) {
                ssl.truststore(
                        access.truststore().toFile(),
                        access.truststorePassword().toCharArray());
            }
            config.ssl(true).sslOptions(ssl.build());
        }
        try {
            return new RespConnection(new Connection(new HostAndPort(host, port), config.build()));
        } catch (JedisException e) {
            throw failure(e);
        }
    }

    /** Sends one command and reads its answer: a String, a Long, null, or a List of those; an error answer throws. */
    public Object call(String... args) throws IOException {
        byte[] name = args[0].getBytes(StandardCharsets.UTF_8);
        ProtocolCommand command = () -> name;
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        try {
            connection.sendCommand(command, rest);
            return plain(connection.getOne());
        } catch (JedisException e) {
            throw failure(e);
        }
    }

    /** Jedis's raw answer (byte arrays for text) as Strings, Longs and Lists. */
    private static Object plain(Object raw) {
        if (raw instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (raw instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(plain(o));
            }
            return out;
        }
        return raw;
    }

    /** An error answer as a RedisError (its text as Redis wrote it), any other failure as an IOException. */
    private static IOException failure(JedisException e) {
        if (e instanceof JedisDataException) {
            return new RedisError(e.getMessage());
        }
        Throwable cause = e instanceof JedisConnectionException && e.getCause() != null ? e.getCause() : e;
        return new IOException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), e);
    }

    @Override
    public void close() {
        connection.close();
    }
}
