package org.sessioncluster.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What both sides of a contract rely on: a record reads back equal, absent values are left out, unknown fields pass. */
class ContractsTest {
    @Test
    void eachRecordReadsBackEqualToWhatWasWritten() {
        NodeStatus status = new NodeStatus(
                "node-1",
                "redis",
                -1,
                -1,
                12,
                50_000_000,
                0,
                0,
                "redis://127.0.0.1:6379 \"primary\"",
                new NodeStatus.TunnelStatus("up", 4, 2, 1000, 2000, 1));
        assertThat(Contracts.read(Contracts.write(status), NodeStatus.class)).isEqualTo(status);

        RegistryEntry entry = new RegistryEntry("node-2", "http://127.0.0.1:8082", true, "enabled", 3);
        assertThat(List.of(Contracts.read("[" + Contracts.write(entry) + "]", RegistryEntry[].class)))
                .containsExactly(entry);

        BalancerStatus balancer = new BalancerStatus(
                "sticky",
                true,
                10,
                1,
                0,
                List.of(1.0, 5.0),
                List.of(new BalancerStatus.Backend(
                        "node-1",
                        "http://x",
                        true,
                        true,
                        "enabled",
                        1,
                        true,
                        0,
                        10,
                        1,
                        "",
                        List.of(3L, 6L, 1L),
                        status)));
        assertThat(Contracts.read(Contracts.write(balancer), BalancerStatus.class))
                .isEqualTo(balancer);
    }

    @Test
    void anAbsentValueIsLeftOutAndAFieldTheReaderDoesNotKnowIsIgnored() {
        NodeStatus noTunnel = new NodeStatus("node-1", "local", -1, -1, 0, 1, 0, 0, "", null);
        assertThat(Contracts.write(noTunnel)).doesNotContain("redisTunnel");

        NodeStatus fromNewerWriter =
                Contracts.read("{\"node\":\"node-3\",\"sessions\":7,\"aFieldOfLater\":{\"x\":1}}", NodeStatus.class);
        assertThat(fromNewerWriter.node()).isEqualTo("node-3");
        assertThat(fromNewerWriter.sessions()).isEqualTo(7);
    }

    @Test
    void aDocumentOfAnotherKindIsAContractErrorThatNamesTheRecord() {
        assertThatThrownBy(() -> Contracts.read("<html>502 Bad Gateway</html>", BalancerStatus.class))
                .isInstanceOf(ContractException.class)
                .hasMessageStartingWith("not a BalancerStatus document");
        assertThat(new RegistryEntry("n", "u", true, "drained", 1).takesRequests())
                .isFalse();
        assertThat(new RegistryEntry("n", "u", false, "enabled", 1).takesRequests())
                .isFalse();
        assertThat(new RegistryEntry("n", "u", true, "enabled", 1).takesRequests())
                .isTrue();
    }
}
