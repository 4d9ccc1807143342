package org.sessioncluster.ctl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sessioncluster.config.UnassignedPorts;
import org.sessioncluster.testsupport.FreePorts;

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

    @Test
    void aTestsOwnServersAreNotGivenAPortAClusterWasJustGiven() {
        List<Integer> cluster = Ports.free("127.0.0.1", 40);
        List<Integer> tests = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) { // picked at random from ~12,000, 1,000 picks would meet 40 ports ~96 % of runs
            tests.add(FreePorts.loopback());
        }
        assertThat(tests).doesNotContainAnyElementsOf(cluster).doesNotHaveDuplicates();
    }
}
