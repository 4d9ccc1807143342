package org.sessioncluster.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ExitCodes;
import picocli.CommandLine;

/** A node refuses bad input with one clear line and a non-zero exit, before it binds anything. */
class NodeMainTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String err) {}

    /** Runs a node named {@code name} on a config of {@code properties}, with {@code war}. */
    private Run run(String properties, String name, String war) throws IOException {
        Path config = dir.resolve("cluster.properties");
        Files.writeString(config, properties);
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new NodeMain());
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(
                "--config",
                config.toString(),
                "--name",
                name,
                "--war",
                dir.resolve(war).toString());
        return new Run(code, err.toString());
    }

    @Test
    void badModeInTheConfigFileExitsWith2AndNamesTheKey() throws IOException {
        Run run = run("session.mode=replicate-everything\n", "node-1", "x.war");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err())
                .startsWith("session-node: ")
                .contains("session.mode = 'replicate-everything' is not allowed");
    }

    @Test
    void unknownNodeNameListsTheNodesThereAre() throws IOException {
        Run run = run("nodes=2\n", "node-7", "x.war");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("no node named 'node-7'").contains("node-1, node-2");
    }

    @Test
    void missingWarIsNamed() throws IOException {
        Run run = run("nodes=1\n", "node-1", "missing.war");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("WAR not found").contains("missing.war");
    }
}
