package org.sessioncluster.ctl.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A process that has exited but not been collected by its parent counts as stopped. */
class ManagedProcessIT {
    @Test
    void aZombieHasExitedAndALiveProcessHasNot() throws Exception {
        // the shell's child exits at once; the shell became `sleep`, which never collects it: a zombie
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & exec sleep 30").start();
        try {
            ProcessHandle child = await().atMost(Duration.ofSeconds(10))
                    .until(() -> parent.toHandle().children().findFirst().orElse(null), c -> c != null);
            await().atMost(Duration.ofSeconds(10)).until(() -> ManagedProcess.exited(child.pid()));
            assertThat(child.isAlive()).as("the JDK still counts it").isTrue();
            assertThat(ManagedProcess.exited(parent.pid()))
                    .as("sleeping, not exited")
                    .isFalse();
            assertThat(ManagedProcess.exited(ProcessHandle.current().pid())).isFalse();
        } finally {
            parent.destroyForcibly();
            parent.waitFor();
        }
    }
}
