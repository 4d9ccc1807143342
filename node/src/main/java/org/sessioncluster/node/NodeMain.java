package org.sessioncluster.node;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.catalina.LifecycleException;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ClusterProcessMain;
import org.sessioncluster.tunnel.TunnelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts one node in this JVM and runs until SIGTERM (graceful stop) or SIGKILL. */
@Command(
        name = "session-node",
        mixinStandardHelpOptions = true,
        description = "Run one session-cluster node: an embedded Tomcat with the WAR and the configured session mode.")
public final class NodeMain extends ClusterProcessMain {
    @Option(names = "--name", required = true, description = "this node's name in the config, e.g. node-1")
    String name;

    @Option(
            names = "--war",
            defaultValue = "webapp/target/session-webapp.war",
            description = "the WAR to run at / (default: ${DEFAULT-VALUE})")
    Path war;

    @Option(names = "--work-dir", description = "Tomcat's working folder (default: run/work/<name>)")
    Path workDir;

    public static void main(String[] args) {
        run(new NodeMain(), args);
    }

    @Override
    protected Runnable start(ClusterConfig cluster) throws StartFailed {
        EmbeddedNode node;
        try {
            node = new EmbeddedNode(cluster, name, war, workDir != null ? workDir : Path.of("run", "work", name));
            node.start();
        } catch (TunnelException e) {
            throw new StartFailed(name + " cannot reach Redis through redis.ssh: " + e.getMessage(), e);
        } catch (LifecycleException | IOException e) {
            throw new StartFailed(name + " failed to start: " + e.getMessage(), e);
        }
        return node::stop;
    }
}
