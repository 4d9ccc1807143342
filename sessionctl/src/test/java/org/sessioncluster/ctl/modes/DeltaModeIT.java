package org.sessioncluster.ctl.modes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.sessioncluster.config.SessionMode;

/** The session-mode contract for delta mode, and how a delta cluster starts. */
class DeltaModeIT extends SessionModeContract {
    @Override
    SessionMode mode() {
        return SessionMode.DELTA;
    }

    @Override
    boolean sessionsCrossNodes() {
        return true;
    }

    @Test
    @Order(6) // before the contract's last test kills node-1
    void nodesAfterTheFirstTakeTheSessionStateFromNodeOne() throws IOException {
        String nodeOne = "}:" + cluster.node("node-1").address().clusterPort() + ",";
        for (String name : List.of("node-2", "node-3")) {
            List<String> log = Files.readAllLines(cluster.node(name).process().log());
            assertThat(log)
                    .as(name + " asked node-1 for the session state")
                    .anyMatch(l -> l.contains("requesting session state from") && l.contains(nodeOne));
            assertThat(log)
                    .as(name + " got it, without waiting out the state-transfer timeout")
                    .anyMatch(l -> l.contains("session state sent at"))
                    .noneMatch(l -> l.contains("No session state"));
        }
    }
}
