package org.sessioncluster.ctl.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.RunningCluster;

/**
 * The sticky-session story, counted: 30 users stay on their node for 10 requests each; then one node is
 * SIGKILLed. Its users move to other nodes and keep their sessions in delta, backup and redis modes; in
 * local mode exactly they are logged out. Nobody else notices, and no request fails.
 */
// minutes of load with faults on clusters of its own, whose waits stretch when another class shares the cores
@Isolated
class StickyFailoverIT {
    /** Run folders and reports of this class's clusters; kept when a test fails, for their logs. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private static final int USERS = 30;
    private static final int REQUESTS = 10;

    record User(SessionClient client, String name, String home) {}

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    void usersStayOnTheirNodeAndAKilledNodeCostsSessionsOnlyInLocalMode(SessionMode mode) throws Exception {
        try (RunningCluster cluster = TestClusters.startBalanced(
                mode, 3, Files.createTempDirectory(tmp, "sticky-" + mode.configName()), "sticky", Map.of())) {
            String balancer = cluster.balancerUrl();
            List<User> users = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                SessionClient client = new SessionClient();
                SessionClient.Answer login = client.post(balancer, "/login", Map.of("user", "u" + i));
                assertThat(login.status()).isEqualTo(200);
                users.add(new User(client, "u" + i, login.servedBy()));
            }
            for (User u : users) {
                for (int r = 1; r <= REQUESTS; r++) {
                    SessionClient.Answer a = u.client().post(balancer, "/counter", Map.of());
                    assertThat(a.status()).isEqualTo(200);
                    assertThat(a.servedBy())
                            .as("sticky: %s stays on %s", u.name(), u.home())
                            .isEqualTo(u.home());
                    assertThat(a.body().get("counter").asInt()).isEqualTo(r);
                }
            }
            assertThat(users.stream().map(User::home).distinct().count())
                    .as("users are spread over the nodes")
                    .isEqualTo(3);

            String victim = "node-1";
            long victimUsers =
                    users.stream().filter(u -> u.home().equals(victim)).count();
            cluster.node(victim).process().kill();

            int lost = 0;
            List<String> failed = new ArrayList<>();
            for (User u : users) {
                SessionClient.Answer a = u.client().get(balancer, "/session");
                if (a.status() != 200) {
                    failed.add(u.name() + " of " + u.home() + ": " + a.status() + " " + a.body());
                    continue;
                }
                assertThat(a.servedBy()).isNotEqualTo(victim);
                boolean kept = u.name().equals(a.text("user"))
                        && a.body().get("counter").asInt() == REQUESTS;
                if (!kept) {
                    lost++;
                }
                if (!u.home().equals(victim)) {
                    assertThat(a.servedBy())
                            .as("users of the other nodes do not move")
                            .isEqualTo(u.home());
                    assertThat(kept).isTrue();
                }
            }
            assertThat(failed).as("failed requests").isEmpty();
            assertThat(victimUsers).isPositive();
            assertThat(lost)
                    .as("sessions lost when " + victim + " died")
                    .isEqualTo(mode == SessionMode.LOCAL ? victimUsers : 0);
        }
    }
}
