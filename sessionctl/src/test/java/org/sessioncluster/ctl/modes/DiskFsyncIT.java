package org.sessioncluster.ctl.modes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.NodePrometheusPage;
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.RunningCluster;

/** Disk mode with {@code session.store.fsync=true}: every save is forced to the device, and sessions still cross. */
class DiskFsyncIT {
    /** Run folders and reports of this class's clusters; kept when a test fails, for their logs. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void everySaveIsForcedToTheDeviceAndAnotherNodeReadsIt() throws Exception {
        try (RunningCluster cluster = TestClusters.launcher(Files.createTempDirectory(tmp, "disk-fsync"))
                .start(TestClusters.config(SessionMode.DISK, 2, Map.of(ConfigKeys.SESSION_STORE_FSYNC, "true")))) {
            String node1 = cluster.node("node-1").url();
            String node2 = cluster.node("node-2").url();
            long before = NodePrometheusPage.value(node1, "sessioncluster_store_fsyncs_total");

            SessionClient user = new SessionClient();
            assertThat(user.post(node1, "/login", Map.of("user", "ana")).status())
                    .isEqualTo(200);
            assertThat(user.post(node1, "/cart/items", Map.of("item", "pear")).status())
                    .isEqualTo(200);

            assertThat(NodePrometheusPage.value(node1, "sessioncluster_store_fsyncs_total") - before)
                    .as("the login's save and the cart add's save were each forced to the device")
                    .isGreaterThanOrEqualTo(2);
            SessionClient.Answer read = user.get(node2, "/session");
            assertThat(read.text("user")).isEqualTo("ana");
            assertThat(read.body().get("cart").get(0).asText()).isEqualTo("pear");
        }
    }
}
