package org.sessioncluster.balancer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sessioncluster.balancer.backend.Backend;
import org.sessioncluster.balancer.backend.BackendPool;
import org.sessioncluster.contract.Contracts;
import org.sessioncluster.contract.NodeStatus;

/** The dashboard's history: per-second differences of a node's counters, its p99, and what happened. */
class AdminHistoryTest {

    @Test
    void eachTickHoldsThatSecondsRatesAndP99AndTheEventsAreMarked() throws Exception {
        BackendPool pool = new BackendPool(name -> 1, 60_000);
        Backend node = pool.register("node-1", "http://127.0.0.1:20001");
        Map<String, NodeStatus> status = new HashMap<>();
        status.put("node-1", Contracts.read("{\"clusterBytesSent\": 1000}", NodeStatus.class));
        AdminHistory history = new AdminHistory(pool, status::get);

        history.tick();
        for (int i = 0; i < 200; i++) {
            node.requests().increment();
            node.recordLatency(4); // (2, 5] ms
        }
        node.recordLatency(9); // one of 201 in 100–250 ms: under the 1 %
        node.errors().add(5);
        status.put("node-1", Contracts.read("{\"clusterBytesSent\": 9000}", NodeStatus.class));
        history.tick();
        for (int i = 0; i < 3; i++) {
            node.recordCheck(false, "connection refused", 3, 2);
        }
        history.event("node-1 drained");
        history.tick();

        JsonNode h = history.json();
        assertThat(h.get("seconds")).hasSize(3);
        JsonNode n = h.get("nodes").get("node-1");
        assertThat(n.get("requestsPerSecond").get(1).asDouble()).isEqualTo(200);
        assertThat(n.get("errorsPerSecond").get(1).asDouble()).isEqualTo(5);
        assertThat(n.get("p99Ms").get(1).asDouble())
                .as("upper bound of the 2–5 ms bucket")
                .isEqualTo(5);
        assertThat(n.get("p99Ms").get(2).isNull())
                .as("no answers in that second")
                .isTrue();
        assertThat(n.get("replicatedBytesPerSecond").get(1).asDouble()).isEqualTo(8000);
        assertThat(h.get("events").findValuesAsText("what"))
                .containsExactly("node-1 registered", "node-1 drained", "node-1 down");
    }
}
