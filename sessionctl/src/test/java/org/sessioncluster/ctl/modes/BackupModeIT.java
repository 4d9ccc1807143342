package org.sessioncluster.ctl.modes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.sessioncluster.config.SessionMode;

/** The session-mode contract for backup mode, and how a backup cluster starts. */
class BackupModeIT extends SessionModeContract {
    @Override
    SessionMode mode() {
        return SessionMode.BACKUP;
    }

    @Override
    boolean sessionsCrossNodes() {
        return true;
    }

    @Test
    @Order(6) // before the contract's last test kills node-1
    void eachReplicatedMapStartsAtOnce() throws IOException {
        for (String name : List.of("node-2", "node-3")) {
            List<String> log = Files.readAllLines(cluster.node(name).process().log());
            assertThat(log)
                    .as(name + ": its replicated map started")
                    .noneMatch(l -> l.contains("Unable to send map start message"))
                    .filteredOn(l -> l.contains("initialization was completed in"))
                    .singleElement()
                    .extracting(l -> Long.parseLong(l.replaceAll(".*completed in \\[(\\d+)\\] ms.*", "$1")))
                    .as(name + ": within ms, not after a map's RPC timeout (seconds)")
                    .matches(ms -> ms < 3_000);
        }
    }
}
