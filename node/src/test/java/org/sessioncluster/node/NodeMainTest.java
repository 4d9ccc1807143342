package org.sessioncluster.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A node refuses bad input with one clear line and a non-zero exit, before it binds anything. */
class NodeMainTest {
    @TempDir
    Path dir;

    private int run(StringWriter err, String... args) {
        CommandLine cli = new CommandLine(new NodeMain());
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void badModeInTheConfigFileExitsWith2AndNamesTheKey() throws IOException {
        Path config = dir.resolve("cluster.properties");
        Files.writeString(config, "session.mode=replicate-everything\n");
        StringWriter err = new StringWriter();
        int code = run(
                err,
                "--config",
                config.toString(),
                "--name",
                "node-1",
                "--war",
                dir.resolve("x.war").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("session.mode = 'replicate-everything' is not allowed");
    }

    @Test
    void unknownNodeNameListsTheNodesThereAre() throws IOException {
        Path config = dir.resolve("cluster.properties");
        Files.writeString(config, "nodes=2\n");
        StringWriter err = new StringWriter();
        int code = run(
                err,
                "--config",
                config.toString(),
                "--name",
                "node-7",
                "--war",
                dir.resolve("x.war").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("no node named 'node-7'").contains("node-1, node-2");
    }

    @Test
    void missingWarIsNamed() throws IOException {
        Path config = dir.resolve("cluster.properties");
        Files.writeString(config, "nodes=1\n");
        StringWriter err = new StringWriter();
        int code = run(
                err,
                "--config",
                config.toString(),
                "--name",
                "node-1",
                "--war",
                dir.resolve("missing.war").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("WAR not found").contains("missing.war");
    }
}
