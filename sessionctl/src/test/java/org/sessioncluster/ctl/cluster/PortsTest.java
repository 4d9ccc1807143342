package org.sessioncluster.ctl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sessioncluster.config.UnassignedPorts;

/** Ports for the cluster's servers come from below the OS's ephemeral range, where no connection takes them. */
class PortsTest {
    @Test
    void freePortsAreDistinctFreeAndBelowTheEphemeralRange() {
        int[] range = UnassignedPorts.range();
        List<Integer> ports = Ports.free("127.0.0.1", 20);
        assertThat(ports).hasSize(20).doesNotHaveDuplicates();
        if (range != null) { // Linux: /proc names the ephemeral range
            assertThat(ports).allSatisfy(p -> assertThat(p).isBetween(range[0], range[1] - 1));
        }
        assertThat(ports)
                .allSatisfy(p -> assertThat(Ports.isFree("127.0.0.1", p)).isTrue());
        assertThat(Ports.free("127.0.0.1", 20))
                .as("not handed out twice while the first ones may still be binding")
                .doesNotContainAnyElementsOf(ports);
    }
}
