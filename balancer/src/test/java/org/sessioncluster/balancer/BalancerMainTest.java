package org.sessioncluster.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.ExitCodes;
import picocli.CommandLine;

/** The balancer refuses a bad config and a port in use with one line each and the project's exit codes. */
class BalancerMainTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String err) {}

    private Run run(String properties, String... more) throws IOException {
        Path config = dir.resolve("cluster.properties");
        Files.writeString(config, properties);
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BalancerMain());
        cli.setErr(new PrintWriter(err, true));
        String[] args = new String[4 + more.length];
        args[0] = "--config";
        args[1] = config.toString();
        args[2] = "--work-dir";
        args[3] = dir.resolve("balancer").toString();
        System.arraycopy(more, 0, args, 4, more.length);
        return new Run(cli.execute(args), err.toString());
    }

    @Test
    void aBadPolicyExitsWith2AndNamesTheKey() throws IOException {
        Run run = run(ConfigKeys.BALANCER_POLICY + "=fastest\n");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err())
                .startsWith("session-balancer: ")
                .contains(ConfigKeys.BALANCER_POLICY)
                .contains("fastest");
        assertThat(run.err().lines()).hasSize(1);
    }

    @Test
    void aPortInUseExitsWith1AndNamesThePort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = run(
                    ConfigKeys.BALANCER_ADMIN_PORT + "=0\n" + ConfigKeys.BALANCER_WARMUP_REQUESTS + "=0\n"
                            + ConfigKeys.BALANCER_ADMIN_TOKEN + "=" + TestBalancer.ADMIN_TOKEN + "\n",
                    "--set",
                    ConfigKeys.BALANCER_HOST + "=127.0.0.1",
                    "--set",
                    ConfigKeys.BALANCER_PORT + "=" + taken.getLocalPort());
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.FAILED);
            assertThat(run.err())
                    .startsWith("session-balancer: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains(ConfigKeys.BALANCER_PORT)
                    .doesNotContain("Exception");
        }
    }
}
