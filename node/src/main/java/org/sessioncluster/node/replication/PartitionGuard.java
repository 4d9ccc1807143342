package org.sessioncluster.node.replication;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Manager;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.ha.CatalinaCluster;
import org.apache.catalina.ha.session.DeltaManager;
import org.apache.catalina.valves.ValveBase;
import org.sessioncluster.node.mode.StoreFailureAnswer;

/**
 * The quorum policy of {@code cluster.partition.policy} for delta and backup: a node that has seen fewer than a
 * majority of the configured nodes (itself included) for {@code cluster.partition.grace.ms} answers every request
 * of the webapp with 503, its {@code /health} too, so the balancer takes it out; the majority side goes on alone.
 * When it sees a majority again a delta node first takes the sessions from its peers again (what it holds missed
 * the writes made while it was cut off), then serves. Without it (policy serve, Tomcat's way) both sides accept
 * writes and a session's two versions meet later, the last writer winning per change.
 */
public final class PartitionGuard extends ValveBase {
    private static final Logger LOG = Logger.getLogger(PartitionGuard.class.getName());
    private static final long CHECK_MILLIS = 100;

    private final CatalinaCluster cluster;
    private final int configuredNodes;
    private final long graceNanos;
    private final String self;
    private ScheduledExecutorService checker;
    private long minoritySince;
    private volatile boolean refusing;

    PartitionGuard(CatalinaCluster cluster, int configuredNodes, long graceMillis, String self) {
        super(true);
        this.cluster = cluster;
        this.configuredNodes = configuredNodes;
        this.graceNanos = graceMillis * 1_000_000;
        this.self = self;
    }

    /** A majority of the configured nodes: 2 of 2 or 3, 3 of 4 or 5. */
    static boolean majority(int seen, int configured) {
        return seen * 2 > configured;
    }

    /** Whether the node answers 503 now. */
    public boolean refusing() {
        return refusing;
    }

    @Override
    protected synchronized void startInternal() throws org.apache.catalina.LifecycleException {
        super.startInternal();
        checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "partition-guard");
            t.setDaemon(true);
            return t;
        });
        checker.scheduleWithFixedDelay(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected synchronized void stopInternal() throws org.apache.catalina.LifecycleException {
        if (checker != null) {
            checker.shutdownNow();
        }
        super.stopInternal();
    }

    private void check() {
        try {
            int seen = cluster.getMembers().length + 1;
            long now = System.nanoTime();
            if (!majority(seen, configuredNodes)) {
                if (minoritySince == 0) {
                    minoritySince = now;
                } else if (!refusing && now - minoritySince >= graceNanos) {
                    refusing = true;
                    LOG.warning(self + " sees " + seen + " of " + configuredNodes + " nodes (itself included), not a"
                            + " majority, for " + (now - minoritySince) / 1_000_000
                            + " ms: it answers 503 until it sees"
                            + " a majority again (cluster.partition.policy=quorum)");
                }
                return;
            }
            minoritySince = 0;
            if (refusing) {
                resync();
                refusing = false;
                LOG.warning(self + " sees a majority again (" + seen + " of " + configuredNodes + "): serving");
            }
        } catch (RuntimeException e) {
            LOG.warning("partition check failed: " + e);
        }
    }

    /** A delta node takes every session from a peer again: its copies missed what the majority wrote meanwhile. */
    private void resync() {
        Container host = getContainer() == null ? null : getContainer().getParent();
        Container[] contexts = host == null ? new Container[] {getContainer()} : host.findChildren();
        for (Container c : contexts) {
            if (c instanceof Context context) {
                Manager m = context.getManager();
                if (m instanceof DeltaManager delta) {
                    // the flag is still set from this node's start: without clearing it, the request for the
                    // sessions would not wait for them to arrive
                    delta.setStateTransferred(false);
                    delta.getAllClusterSessions();
                    LOG.info(self + " took the sessions of " + context.getName() + " from its peers again");
                }
            }
        }
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if (!refusing) {
            getNext().invoke(request, response);
            return;
        }
        StoreFailureAnswer.write(
                request,
                response,
                503,
                "cut off from the cluster",
                self + " sees fewer than a majority of the cluster's " + configuredNodes + " nodes; another node"
                        + " serves this session. Try again.");
    }
}
