package org.sessioncluster.balancer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.sessioncluster.balancer.admin.AdminServer;
import org.sessioncluster.balancer.backend.BackendPool;
import org.sessioncluster.balancer.backend.HealthChecker;
import org.sessioncluster.balancer.policy.Router;
import org.sessioncluster.balancer.proxy.ProxyMetrics;
import org.sessioncluster.balancer.proxy.ProxyServlet;
import org.sessioncluster.config.ClusterConfig;

/** The balancer assembled: registry, health checks, router, the proxy on Tomcat and the admin server. */
public final class LoadBalancer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LoadBalancer.class.getName());

    private final ClusterConfig config;
    private final BackendPool pool;
    private final HealthChecker health;
    private final CloseableHttpClient client;
    private final Tomcat tomcat = new Tomcat();
    private final AdminServer admin;

    public LoadBalancer(ClusterConfig config, Path workDir) throws IOException {
        if (config.balancerAdminToken().isEmpty()) {
            throw new org.sessioncluster.config.ConfigException(
                    "balancer.admin.token is empty; the admin API needs a token"
                            + " (sessionctl makes one per run; set one when starting the balancer by hand)");
        }
        this.config = config;
        this.pool = new BackendPool(config::weightOf, config.registryEvictionMillis());
        this.health = new HealthChecker(pool, config.healthIntervalMillis(), config.healthFall(), config.healthRise());
        Router router = new Router(pool, config.balancerPolicy());
        ProxyMetrics metrics = new ProxyMetrics();

        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(1024)
                .setMaxConnPerRoute(256)
                // per-route locking instead of one pool-wide lock: requests to different nodes do not contend
                .setPoolConcurrencyPolicy(org.apache.hc.core5.pool.PoolConcurrencyPolicy.LAX)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofMilliseconds(config.balancerConnectTimeoutMillis()))
                        .setSocketTimeout(Timeout.ofMilliseconds(config.balancerResponseTimeoutMillis()))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.ofMilliseconds(config.balancerResponseTimeoutMillis()))
                        .setRedirectsEnabled(false)
                        .build())
                // a proxy passes requests and answers through untouched: no retries of its own, no
                // redirects, no cookies, no decompression
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();

        Files.createDirectories(workDir);
        tomcat.setBaseDir(workDir.toAbsolutePath().toString());
        Connector connector = new Connector();
        connector.setPort(config.balancerPort());
        connector.setProperty("address", config.balancerHost());
        connector.setProperty("maxThreads", "400");
        connector.setProperty("maxKeepAliveRequests", "-1");
        // limits on clients (slow, oversized): see cluster-config/README.md
        connector.setProperty("connectionTimeout", Integer.toString(config.balancerClientTimeoutMillis()));
        connector.setProperty("keepAliveTimeout", Integer.toString(config.balancerClientTimeoutMillis()));
        connector.setProperty("maxHttpHeaderSize", Integer.toString(config.balancerMaxHeaderBytes()));
        config.balancerTlsKeystore()
                .ifPresent(keystore -> terminateTls(connector, keystore, config.balancerTlsKeystorePassword()));
        tomcat.setConnector(connector);
        Context root = tomcat.addContext("", null);
        Tomcat.addServlet(
                root,
                "proxy",
                new ProxyServlet(router, client, metrics, health::unreachable, config.balancerMaxBodyBytes()));
        root.addServletMappingDecoded("/", "proxy");

        this.admin = new AdminServer(
                new InetSocketAddress(config.balancerAdminHost(), config.balancerAdminPort()),
                pool,
                metrics,
                config.balancerAdminToken(),
                config.balancerPolicy());
    }

    /**
     * TLS ends here: clients speak HTTPS to the balancer, the balancer speaks HTTP to the nodes and says
     * {@code X-Forwarded-Proto: https}, so the nodes mark their session cookie {@code Secure}.
     */
    private static void terminateTls(Connector connector, Path keystore, String password) {
        if (!Files.isRegularFile(keystore)) {
            throw new org.sessioncluster.config.ConfigException("balancer.tls.keystore = '" + keystore
                    + "' is not a file;" + " allowed: a PKCS12 keystore with the balancer's key and certificate");
        }
        connector.setScheme("https");
        connector.setSecure(true);
        connector.setProperty("SSLEnabled", "true");
        org.apache.tomcat.util.net.SSLHostConfig tls = new org.apache.tomcat.util.net.SSLHostConfig();
        tls.setProtocols("TLSv1.2+TLSv1.3");
        org.apache.tomcat.util.net.SSLHostConfigCertificate certificate =
                new org.apache.tomcat.util.net.SSLHostConfigCertificate(
                        tls, org.apache.tomcat.util.net.SSLHostConfigCertificate.Type.UNDEFINED);
        certificate.setCertificateKeystoreFile(keystore.toAbsolutePath().toString());
        certificate.setCertificateKeystorePassword(password);
        certificate.setCertificateKeystoreType("PKCS12");
        tls.addCertificate(certificate);
        connector.addSslHostConfig(tls);
    }

    public void start() throws LifecycleException {
        tomcat.start();
        if (tomcat.getConnector().getState() != LifecycleState.STARTED) {
            tomcat.stop();
            throw new LifecycleException("cannot listen on " + config.balancerHost() + ":" + config.balancerPort()
                    + " (balancer.port): port in use?");
        }
        admin.start();
        health.start();
        LOG.info(() -> String.format(
                "balancer up: %s://%s:%d/ (policy %s), admin and dashboard http://%s:%d/",
                config.balancerTlsKeystore().isPresent() ? "https" : "http",
                config.balancerHost(),
                port(),
                config.balancerPolicy(),
                config.balancerAdminHost(),
                admin.port()));
    }

    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    public int adminPort() {
        return admin.port();
    }

    public BackendPool pool() {
        return pool;
    }

    @Override
    public void close() {
        health.close();
        admin.close();
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            LOG.warning(() -> "balancer did not stop cleanly: " + e.getMessage());
        }
        client.close(org.apache.hc.core5.io.CloseMode.GRACEFUL);
        System.err.println("balancer stopped");
    }
}
