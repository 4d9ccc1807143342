package org.sessioncluster.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigException;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.node.metrics.ClusterTrafficCounter;
import org.sessioncluster.node.metrics.NodeMetricsServlet;
import org.sessioncluster.node.metrics.NodeState;
import org.sessioncluster.node.metrics.NodeStatusServlet;
import org.sessioncluster.node.mode.InstalledMode;
import org.sessioncluster.node.mode.SessionDataFilter;
import org.sessioncluster.node.mode.SessionModeInstaller;
import org.sessioncluster.node.registry.RegistryClient;

/** One embedded Tomcat running the WAR at {@code /} with the configured session mode. */
public final class EmbeddedNode {
    /** System properties the webapp reads (it has no other view of the node). */
    static final String NODE_NAME_PROPERTY = "sessioncluster.node.name";

    static final String PAYLOAD_MAX_PROPERTY = "sessioncluster.payload.max.bytes";

    private static final Logger LOG = Logger.getLogger(EmbeddedNode.class.getName());

    private final ClusterConfig config;
    private final NodeAddress self;
    private final Tomcat tomcat = new Tomcat();
    private RegistryClient registry;
    private RedisSshTunnel redisTunnel;

    public EmbeddedNode(ClusterConfig config, String nodeName, Path war, Path workDir) throws IOException {
        this.config = config;
        this.self = config.nodeOrTemplate(nodeName);
        if (self.httpPort() == 0 || (config.sessionMode().usesTribes() && self.clusterPort() == 0)) {
            throw new ConfigException(nodeName + " has port 0 (meaning 'pick a free one'); a node needs its real ports:"
                    + " start it through sessionctl, or set node.http.port.base / node.cluster.port.base");
        }
        if (!Files.isRegularFile(war)) {
            throw new ConfigException(
                    "WAR not found: " + war + " (build it with ./mvnw -q package -DskipTests, or pass --war)");
        }
        System.setProperty(NODE_NAME_PROPERTY, self.name());
        System.setProperty(
                PAYLOAD_MAX_PROPERTY, Integer.toString(config.session().payloadMaxBytes()));
        // Before anything can read session data: Java deserialization builds only allowed classes.
        SessionDataFilter.of(config).installJvmWide();

        Files.createDirectories(workDir.resolve("webapps"));
        tomcat.setBaseDir(workDir.toAbsolutePath().toString());
        tomcat.getHost().setAppBase(workDir.resolve("webapps").toAbsolutePath().toString());
        Connector connector = new Connector();
        connector.setPort(self.httpPort());
        connector.setProperty("address", self.host());
        tomcat.setConnector(connector);
        // Every engine in the cluster has the same name; the jvmRoute (set by the mode) tells nodes apart.
        tomcat.getEngine().setName(config.channel().name());
        // Behind the balancer (or HAProxy, nginx, an Ingress) the client's address and scheme come in
        // X-Forwarded-For/-Proto from a loopback or private address: a request that came over HTTPS is
        // secure here too, so the session cookie gets the Secure flag.
        org.apache.catalina.valves.RemoteIpValve forwarded = new org.apache.catalina.valves.RemoteIpValve();
        forwarded.setRemoteIpHeader("X-Forwarded-For");
        forwarded.setProtocolHeader("X-Forwarded-Proto");
        forwarded.setInternalProxies(config.node().internalProxies());
        // Tomcat copies the forwarded address and scheme into four request attributes for its AccessLogValve,
        // on every request: no access log reads them here.
        forwarded.setRequestAttributesEnabled(false);
        tomcat.getEngine().getPipeline().addValve(forwarded);

        // No JSP engine here, so Tomcat's default web.xml (which declares the JSP servlet) is left out.
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context webapp = tomcat.addWebapp("", war.toAbsolutePath().toString());
        webapp.setSessionTimeout(config.session().timeoutMinutes());
        // The WAR brings its own classes and no JSPs or web fragments; the node's class path (Tomcat, Redisson,
        // Netty, Spring Session: about a hundred jars) holds nothing the webapp needs found by scanning, and
        // scanning it for TLDs and annotations was half of a node's start.
        StandardJarScanner scanner = new StandardJarScanner();
        scanner.setScanClassPath(false);
        scanner.setScanManifest(false);
        webapp.setJarScanner(scanner);

        ClusterConfig effective = config;
        if (config.sessionMode().usesRedis() && !config.redis().ssh().isEmpty()) {
            redisTunnel = RedisSshTunnel.open(config);
            effective = redisTunnel.redirect(config);
        }
        ClusterTrafficCounter traffic = new ClusterTrafficCounter();
        InstalledMode mode = SessionModeInstaller.install(effective, self, tomcat, webapp, traffic);
        String store = switch (config.sessionMode()) {
            case REDIS, REDISSON, SPRING_SESSION ->
                !config.redis().clusterNodes().isEmpty()
                        ? "Redis Cluster " + String.join(",", config.redis().clusterNodes())
                        : config.redis().sentinels().isEmpty()
                                ? config.redis().address()
                                        + (config.redis().ssh().isEmpty()
                                                ? ""
                                                : " via ssh " + config.redis().ssh())
                                : "Sentinels " + String.join(",", config.redis().sentinels()) + " (master "
                                        + config.redis().sentinelMaster() + ")";
            case DISK -> config.session().storeDir();
            default -> "";
        };
        addNodeContext(new NodeState(
                self.name(), mode, webapp, traffic, redisTunnel == null ? null : redisTunnel::stats, store));
    }

    private void addNodeContext(NodeState state) {
        Context nodeContext = tomcat.addContext("/_node", null);
        Tomcat.addServlet(nodeContext, "status", new NodeStatusServlet(state));
        nodeContext.addServletMappingDecoded("/status", "status");
        Tomcat.addServlet(nodeContext, "metrics", new NodeMetricsServlet(state));
        nodeContext.addServletMappingDecoded("/metrics", "metrics");
        nodeContext.addServletMappingDecoded("/metrics.json", "metrics");
    }

    public void start() throws LifecycleException {
        long t0 = System.nanoTime();
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            // Tomcat says only "A child container failed": the session store knows why, when it was that
            for (org.apache.catalina.Container child : tomcat.getHost().findChildren()) {
                if (child instanceof Context c) {
                    var why = SessionModeInstaller.startProblem(c);
                    if (why.isPresent()) {
                        throw new LifecycleException(why.get(), e);
                    }
                }
            }
            throw e;
        }
        if (tomcat.getConnector().getState() != LifecycleState.STARTED) {
            throw new LifecycleException(
                    "HTTP connector did not start on " + self.host() + ":" + self.httpPort() + " (port in use?)");
        }
        for (org.apache.catalina.Container child : tomcat.getHost().findChildren()) {
            if (child.getState() != LifecycleState.STARTED) {
                String why = child instanceof Context c
                        ? SessionModeInstaller.startProblem(c).orElse(null)
                        : null;
                throw new LifecycleException(
                        why != null ? why : "context '" + child.getName() + "' failed to start; see the log above");
            }
        }
        LOG.info(() -> String.format(
                "%s up in %d ms: mode=%s http=%s cluster-port=%s",
                self.name(),
                (System.nanoTime() - t0) / 1_000_000,
                config.sessionMode().configName(),
                self.httpBaseUrl(),
                config.sessionMode().usesTribes() ? Integer.toString(self.clusterPort()) : "-"));
        // Register only once the node serves (and, in delta/backup, holds the cluster's sessions).
        if (!config.registry().url().isEmpty()) {
            registry = new RegistryClient(
                    config.registry().url(),
                    self.name(),
                    self.httpBaseUrl(),
                    config.balancer().adminToken(),
                    config.registry().renewMillis());
            registry.start();
        }
    }

    public void stop() {
        if (registry != null) {
            registry.close(); // leave the registry first, so the balancer stops sending us requests
        }
        try {
            tomcat.stop();
            tomcat.destroy();
            // java.util.logging may already be shut down by its own hook at this point
            System.err.println(self.name() + " stopped");
        } catch (LifecycleException e) {
            LOG.warning(() -> self.name() + " did not stop cleanly: " + e.getMessage());
        }
        if (redisTunnel != null) {
            redisTunnel.close(); // after Tomcat: the session manager may still write to Redis while stopping
        }
    }
}
