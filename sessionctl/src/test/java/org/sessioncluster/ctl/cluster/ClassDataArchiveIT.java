package org.sessioncluster.ctl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real JVM on sessionctl's jar writes the archive on its first run and maps it on the next; a class path of
 * folders (a build) gets no archive options at all.
 */
class ClassDataArchiveIT {
    private static final Path JAR = Path.of("target", "sessionctl.jar");

    @TempDir
    Path runDir;

    @Test
    void theFirstRunWritesTheArchiveAndTheNextLoadsClassesFromIt() throws Exception {
        assertThat(JAR).as("built by package, before the integration tests").isRegularFile();
        assertThat(ClassDataArchive.options(runDir, "node", false, JAR))
                .as("no archive yet, and this process may not write it")
                .isEmpty();

        List<String> dump = ClassDataArchive.options(runDir, "node", true, JAR);
        assertThat(dump).anySatisfy(o -> assertThat(o).startsWith("-XX:ArchiveClassesAtExit="));
        assertThat(java(dump, List.of()).exit()).isZero();
        Path archive = Path.of(dump.get(0).substring(dump.get(0).indexOf('=') + 1));
        assertThat(archive).isRegularFile().startsWith(runDir.toAbsolutePath());

        List<String> use = ClassDataArchive.options(runDir, "node", true, JAR);
        assertThat(use).containsExactly("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off");
        Run mapped = java(use, List.of("-Xlog:class+load=info"));
        assertThat(mapped.exit()).isZero();
        assertThat(mapped.out())
                .as("sessionctl's own classes come from the archive")
                .contains("org.sessioncluster.ctl.SessionCtl source: shared objects file (top)");
    }

    @Test
    void aClassPathOfFoldersGetsNoArchive() {
        assertThat(ClassDataArchive.options(runDir, "balancer", true, Path.of("target", "classes")))
                .isEmpty();
        assertThat(runDir.resolve("cds")).doesNotExist();
    }

    private record Run(int exit, String out) {}

    /** sessionctl's --help on its jar, with these options. */
    private Run java(List<String> archive, List<String> more) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(archive);
        command.addAll(more);
        command.addAll(List.of("-jar", JAR.toString(), "--help"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new Run(p.exitValue(), out);
        } finally {
            p.destroyForcibly();
        }
    }
}
