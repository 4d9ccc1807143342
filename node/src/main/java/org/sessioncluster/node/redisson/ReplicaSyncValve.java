package org.sessioncluster.node.redisson;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.redisson.api.BatchOptions;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;

/**
 * Holds a write's answer until the Redis replicas have the session change ({@code redis.sync.replicas}),
 * so a session the user saw saved survives the loss of the primary.
 * <p>
 * Why not WAIT after the manager's own writes: WAIT covers the writes of the connection it runs on, and
 * Redisson's session manager writes over pooled connections without a batch. So after the request this
 * valve sends one small write and WAIT together on one connection (a Redisson batch with {@code sync}):
 * Redis replicates in one ordered stream, so once the replicas acknowledge that write they have every
 * write made before it — the request's session writes included.
 * <p>
 * With fewer replicas connected than asked (right after a failover, before the old primary returns as a
 * replica), the write is kept on the primary alone and counted as a shortfall: refusing every write
 * until a replica returns would turn a failover into an outage. After a shortfall the valve stops waiting
 * for {@link #RETRY_AFTER} (after that period, the writes after it try again), so a missing replica costs
 * one timeout per period, not one per write.
 */
final class ReplicaSyncValve extends ValveBase {
    private static final Logger LOG = Logger.getLogger(ReplicaSyncValve.class.getName());
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final String MARKER = "sessioncluster:replica-sync";

    private final SessionServerManager manager;
    private final int replicas;
    private final Duration timeout;
    private final LongAdder synced = new LongAdder();
    private final LongAdder shortfalls = new LongAdder();
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    private final java.util.concurrent.atomic.AtomicLong skipUntilNanos =
            new java.util.concurrent.atomic.AtomicLong(System.nanoTime());

    ReplicaSyncValve(SessionServerManager manager, int replicas, Duration timeout) {
        super(true);
        this.manager = manager;
        this.replicas = replicas;
        this.timeout = timeout;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        if (READS.contains(request.getMethod())
                || request.getSessionInternal(false) == null && request.getRequestedSessionId() == null) {
            return;
        }
        RedissonClient client = manager.client();
        if (client == null) {
            return;
        }
        if (System.nanoTime() - skipUntilNanos.get() < 0) {
            shortfalls.increment(); // a replica was missing a moment ago: do not make every write wait for it
            return;
        }
        try {
            RBatch batch = client.createBatch(BatchOptions.defaults().sync(replicas, timeout));
            batch.getAtomicLong(MARKER).incrementAndGetAsync();
            BatchResult<?> result = batch.execute();
            if (result.getSyncedSlaves() >= replicas) {
                synced.increment();
            } else {
                shortfalls.increment();
                skipUntilNanos.set(System.nanoTime() + RETRY_AFTER.toNanos());
                LOG.fine(() -> "write kept on the primary only: " + result.getSyncedSlaves() + " of " + replicas
                        + " replicas acknowledged");
            }
        } catch (RuntimeException e) {
            // the request itself succeeded on the primary; the store-down valve handles a Redis that is gone
            shortfalls.increment();
            skipUntilNanos.set(System.nanoTime() + RETRY_AFTER.toNanos());
            LOG.fine(() -> "replica sync failed: " + e);
        }
    }

    long synced() {
        return synced.sum();
    }

    long shortfalls() {
        return shortfalls.sum();
    }
}
