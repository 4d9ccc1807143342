package org.sessioncluster.node;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Logger;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigException;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.tunnel.ForwardSpec;
import org.sessioncluster.tunnel.SshConnector;
import org.sessioncluster.tunnel.SshEndpoint;
import org.sessioncluster.tunnel.Tunnel;
import org.sessioncluster.tunnel.TunnelStats;

/**
 * {@code redis.ssh}: the node reaches Redis through an SSH bastion, like {@code ssh -L} (or
 * {@code cf ssh -L} to a platform's database). It opens a local forward on a free loopback port to
 * {@code redis.address} as the bastion sees it, and Redisson is pointed at the local end.
 */
public final class RedisSshTunnel implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RedisSshTunnel.class.getName());

    private final SshConnector connector;
    private final Tunnel tunnel;
    private final String localAddress;

    private RedisSshTunnel(SshConnector connector, Tunnel tunnel, String scheme) {
        this.connector = connector;
        this.tunnel = tunnel;
        this.localAddress = scheme + "://127.0.0.1:" + tunnel.entrance().getPort();
    }

    /** Opens the forward (throws TunnelException with a message for people when it cannot). */
    public static RedisSshTunnel open(ClusterConfig config) {
        if (config.redis().address().isBlank()) {
            throw new ConfigException("redis.ssh needs redis.address: the Redis address as the bastion "
                    + config.redis().ssh() + " sees it");
        }
        URI redis = URI.create(config.redis().address().trim());
        SshConnector connector = new SshConnector(
                SshEndpoint.parse(config.redis().ssh()),
                config.redis().sshIdentity(),
                config.redis().sshKnownHosts(),
                false,
                Duration.ofSeconds(15));
        try {
            Tunnel tunnel = Tunnel.open(
                    Tunnel.Direction.LOCAL,
                    connector,
                    new ForwardSpec("127.0.0.1", 0, redis.getHost(), redis.getPort()),
                    Duration.ofSeconds(10));
            RedisSshTunnel opened = new RedisSshTunnel(connector, tunnel, redis.getScheme());
            LOG.info(() -> "Redis via SSH: " + tunnel.describe());
            return opened;
        } catch (RuntimeException e) {
            connector.close();
            throw e;
        }
    }

    /** The config with redis.address pointing at the local end of the tunnel. */
    public ClusterConfig redirect(ClusterConfig config) {
        return config.with(Map.of(ConfigKeys.REDIS_ADDRESS, localAddress));
    }

    public TunnelStats stats() {
        return tunnel.stats();
    }

    @Override
    public void close() {
        tunnel.close();
        connector.close();
    }
}
