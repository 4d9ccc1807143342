package org.sessioncluster.node;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Starts one node in this JVM and runs until SIGTERM (graceful stop) or SIGKILL. */
@Command(
        name = "session-node",
        mixinStandardHelpOptions = true,
        description = "Run one session-cluster node: an embedded Tomcat with the WAR and the configured session mode.")
public final class NodeMain implements Callable<Integer> {
    @Option(
            names = "--config",
            defaultValue = "cluster-config/cluster.properties",
            description = "cluster.properties to read (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(names = "--name", required = true, description = "this node's name in the config, e.g. node-1")
    String name;

    @Option(
            names = "--war",
            defaultValue = "webapp/target/session-webapp.war",
            description = "the WAR to run at / (default: ${DEFAULT-VALUE})")
    Path war;

    @Option(names = "--work-dir", description = "Tomcat's working folder (default: run/work/<name>)")
    Path workDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key (repeatable)")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n");
        System.exit(new CommandLine(new NodeMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        EmbeddedNode node;
        try {
            ClusterConfig cluster = ClusterConfig.load(config, overrides);
            node = new EmbeddedNode(cluster, name, war, workDir != null ? workDir : Path.of("run", "work", name));
            node.start();
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("session-node: " + e.getMessage());
            return 2;
        } catch (org.sessioncluster.tunnel.TunnelException e) {
            spec.commandLine()
                    .getErr()
                    .println("session-node: " + name + " cannot reach Redis through redis.ssh: " + e.getMessage());
            return 1;
        } catch (org.apache.catalina.LifecycleException e) {
            spec.commandLine().getErr().println("session-node: " + name + " failed to start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            node.stop();
                            stopped.countDown();
                        },
                        "node-shutdown"));
        stopped.await();
        return 0;
    }
}
