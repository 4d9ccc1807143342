package org.sessioncluster.load.meter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sessioncluster.contract.Contracts;
import org.sessioncluster.contract.NodeMetrics;

/** Reading the node's metrics document and Redis's INFO text. */
class SamplesParseTest {
    @Test
    void nodeMetricsDocumentIsRead() {
        String json = """
                {"node":"node-1","mode":"delta","sessionsHeld":12,"sessionBytesHeld":4096,"clusterPeers":2,
                 "clusterSentBytes":99000,"clusterSentMessages":70,"clusterReceivedBytes":5000,
                 "clusterReceivedMessages":7,"storeWrittenBytes":0,"heapUsedBytes":31457280,"later":true}
                """;
        assertThat(NodeSample.of(Contracts.read(json, NodeMetrics.class)))
                .isEqualTo(new NodeSample(12, 4096, 99000, 70, 5000, 7, 0, 31457280));
    }

    @Test
    void redisInfoIsRead() {
        String info =
                "# Memory\r\nused_memory:1048576\r\nused_memory_human:1.00M\r\n# Stats\r\ntotal_net_input_bytes:2000\r\n"
                        + "total_net_output_bytes:3000\r\ntotal_commands_processed:42\r\n";
        assertThat(RedisSample.parse(info)).isEqualTo(new RedisSample(1048576, 2000, 3000, 42));
    }
}
