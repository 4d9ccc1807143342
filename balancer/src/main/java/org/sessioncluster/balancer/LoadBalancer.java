package org.sessioncluster.balancer;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.net.ssl.KeyManagerFactory;
import org.sessioncluster.balancer.admin.AdminServer;
import org.sessioncluster.balancer.backend.BackendPool;
import org.sessioncluster.balancer.backend.HealthChecker;
import org.sessioncluster.balancer.policy.Router;
import org.sessioncluster.balancer.proxy.NettyProxy;
import org.sessioncluster.balancer.proxy.ProxyMetrics;
import org.sessioncluster.balancer.proxy.ProxySettings;
import org.sessioncluster.balancer.proxy.ProxyWarmUp;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigException;

/** The balancer assembled: registry, health checks, router, the proxy (Netty) and the admin server. */
public final class LoadBalancer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LoadBalancer.class.getName());

    private final ClusterConfig config;
    private final BackendPool pool;
    private final HealthChecker health;
    private final NettyProxy proxy;
    private final AdminServer admin;
    private final ProxySettings settings;
    private final ProxyMetrics metrics;
    private final CompletableFuture<ProxyWarmUp.Result> warmedUp = new CompletableFuture<>();
    private final CompletableFuture<Void> warmUpBegun = new CompletableFuture<>();
    private volatile boolean closed;

    /** @param workDir kept for the command line's --work-dir; the proxy writes nothing */
    public LoadBalancer(ClusterConfig config, Path workDir) throws IOException {
        if (config.balancer().adminToken().isEmpty()) {
            throw new ConfigException("balancer.admin.token is empty; the admin API needs a token"
                    + " (sessionctl makes one per run; set one when starting the balancer by hand)");
        }
        this.config = config;
        this.pool = new BackendPool(config::weightOf, config.registry().evictionMillis());
        this.health = new HealthChecker(
                pool,
                config.balancer().healthIntervalMillis(),
                config.balancer().healthFall(),
                config.balancer().healthRise());
        Router router = new Router(pool, config.balancer().policy());
        this.metrics = new ProxyMetrics();
        SslContext tls = config.balancer()
                .tlsKeystore()
                .map(keystore -> terminateTls(keystore, config.balancer().tlsKeystorePassword()))
                .orElse(null);
        this.settings = new ProxySettings(
                config.balancer().host(),
                config.balancer().port(),
                config.balancer().maxHeaderBytes(),
                config.balancer().maxBodyBytes(),
                config.balancer().clientTimeoutMillis(),
                config.balancer().connectTimeoutMillis(),
                config.balancer().responseTimeoutMillis(),
                tls);
        this.proxy = new NettyProxy(settings, router, metrics, health::unreachable);
        try {
            this.admin = new AdminServer(
                    new InetSocketAddress(
                            config.balancer().adminHost(), config.balancer().adminPort()),
                    pool,
                    metrics,
                    config.balancer().adminToken(),
                    config.balancer().policy(),
                    warmedUp::isDone);
        } catch (IOException e) {
            proxy.close();
            throw e;
        }
    }

    /**
     * TLS ends here: clients speak HTTPS to the balancer, the balancer speaks HTTP to the nodes and says
     * {@code X-Forwarded-Proto: https}, so the nodes mark their session cookie {@code Secure}.
     */
    private static SslContext terminateTls(Path keystore, String password) {
        if (!Files.isRegularFile(keystore)) {
            throw new ConfigException("balancer.tls.keystore = '" + keystore + "' is not a file;"
                    + " allowed: a PKCS12 keystore with the balancer's key and certificate");
        }
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password.toCharArray());
            return SslContextBuilder.forServer(keys)
                    .protocols("TLSv1.3", "TLSv1.2")
                    // HTTP/2 for clients that offer it (ALPN), HTTP/1.1 for the rest
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2,
                            ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("balancer.tls.keystore = '" + keystore + "' cannot be read as a PKCS12 keystore"
                    + " with balancer.tls.keystore.password: " + e.getMessage());
        }
    }

    /** Starts, warming the data path once the configured nodes have registered (see {@link #start(boolean)}). */
    public void start() throws IOException {
        start(false);
    }

    /**
     * @param warmUpAtStart true: the warm-up begins at once, sharing the CPU with the nodes' boot (a start that
     *     waits for it anyway ends sooner so); false: once the configured nodes have registered, so that it does not
     *     slow their boot (a start that returns when the nodes are ready ends sooner so)
     */
    public void start(boolean warmUpAtStart) throws IOException {
        proxy.start();
        admin.start();
        health.start();
        LOG.info(() -> String.format(
                "balancer up: %s://%s:%d/ (policy %s), admin and dashboard http://%s:%d/",
                config.balancer().tlsKeystore().isPresent() ? "https" : "http",
                config.balancer().host(),
                port(),
                config.balancer().policy(),
                config.balancer().adminHost(),
                admin.port()));
        warmUp(config.balancer().warmupRequests(), warmUpAtStart);
    }

    /**
     * The data path warmed (see {@link ProxyWarmUp}), at once or once as many nodes as the config names have
     * registered ({@code node.start.timeout.seconds} after the start when they have not): begun at once, its CPU
     * competes with the nodes' boot, the slowest part of a cluster's start. A warm-up that fails is logged and
     * changes nothing else.
     */
    private void warmUp(int requests, boolean atStart) {
        if (requests == 0) {
            warmUpBegun.complete(null);
            warmedUp.complete(new ProxyWarmUp.Result(0, 0, 0));
            return;
        }
        if (atStart) {
            beginWarmUp(requests);
            return;
        }
        pool.whenRegistered(config.nodeCount())
                .completeOnTimeout(null, config.node().startTimeoutSeconds(), TimeUnit.SECONDS)
                .thenRun(() -> beginWarmUp(requests));
    }

    private void beginWarmUp(int requests) {
        if (!closed && warmUpBegun.complete(null)) {
            // said first: the warm-up's own pool then logs its stand-in node, named warm-up, as registered
            LOG.info(() -> "warming the data path: " + requests
                    + " requests through a second proxy to a stand-in node (balancer.warmup.requests)");
            warmUpInTheBackground(requests);
        }
    }

    private void warmUpInTheBackground(int requests) {
        Thread t = new Thread(
                () -> {
                    try {
                        ProxyWarmUp.Result r =
                                ProxyWarmUp.run(settings, config.balancer().policy(), requests);
                        LOG.info(() -> "data path warmed: " + r.requests() + " requests through a stand-in node in "
                                + r.millis() + " ms" + (r.failures() == 0 ? "" : " (" + r.failures() + " failed)"));
                        warmedUp.complete(r);
                    } catch (IOException | RuntimeException e) {
                        LOG.warning(() -> "could not warm the data path (" + e.getMessage()
                                + "); the first requests are served slower, nothing else changes");
                        warmedUp.completeExceptionally(e);
                    }
                },
                "balancer-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** Completes when the warm-up has begun (see {@link #warmedUp}). */
    public CompletableFuture<Void> warmUpBegun() {
        return warmUpBegun;
    }

    /** Completes when the warm-up has finished (at once when {@code balancer.warmup.requests} is 0). */
    public CompletableFuture<ProxyWarmUp.Result> warmedUp() {
        return warmedUp;
    }

    public int port() {
        return proxy.port();
    }

    public int adminPort() {
        return admin.port();
    }

    /** What the proxy counted (the warm-up's requests are not among them). */
    public ProxyMetrics proxyMetrics() {
        return metrics;
    }

    public BackendPool pool() {
        return pool;
    }

    @Override
    public void close() {
        closed = true;
        health.close();
        admin.close();
        proxy.close();
        System.err.println("balancer stopped");
    }
}
