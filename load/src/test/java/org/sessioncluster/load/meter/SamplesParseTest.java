package org.sessioncluster.load.meter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading the node's Prometheus page and Redis's INFO text. */
class SamplesParseTest {
    @Test
    void nodeMetricsPageIsRead() {
        String page = """
                # HELP sessioncluster_sessions_held Sessions
                # TYPE sessioncluster_sessions_held gauge
                sessioncluster_sessions_held{node="node-1",mode="delta"} 12
                sessioncluster_session_bytes_held{node="node-1",mode="delta"} 4096
                sessioncluster_cluster_sent_bytes_total{node="node-1",mode="delta"} 99000
                sessioncluster_cluster_sent_messages_total{node="node-1",mode="delta"} 70
                sessioncluster_cluster_received_bytes_total{node="node-1",mode="delta"} 5000
                sessioncluster_cluster_received_messages_total{node="node-1",mode="delta"} 7
                sessioncluster_store_written_bytes_total{node="node-1",mode="delta"} 0
                sessioncluster_heap_used_bytes{node="node-1",mode="delta"} 31457280
                """;
        assertThat(NodeSample.parse(page)).isEqualTo(new NodeSample(12, 4096, 99000, 70, 5000, 7, 0, 31457280));
    }

    @Test
    void redisInfoIsRead() {
        String info =
                "# Memory\r\nused_memory:1048576\r\nused_memory_human:1.00M\r\n# Stats\r\ntotal_net_input_bytes:2000\r\n"
                        + "total_net_output_bytes:3000\r\ntotal_commands_processed:42\r\n";
        assertThat(RedisSample.parse(info)).isEqualTo(new RedisSample(1048576, 2000, 3000, 42));
    }
}
