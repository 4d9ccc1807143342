package org.sessioncluster.ctl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real JVM on sessionctl's jar dumps the archive on its first run, the dump becomes the archive once the JVM
 * said it was written whole, and the next run maps it; a dump that never said so is not used; a class path of
 * folders (a build) gets no archive options at all; the integration tests' nodes run from the packaged jar.
 */
class ClassDataArchiveIT {
    private static final Path JAR = Path.of("target", "sessionctl.jar");

    @TempDir
    Path folder;

    private static Path dumpOf(List<String> options) {
        String o = options.get(0);
        assertThat(o).startsWith("-XX:ArchiveClassesAtExit=");
        return Path.of(o.substring(o.indexOf('=') + 1));
    }

    @Test
    void theFirstRunDumpsTheArchiveAndTheNextLoadsClassesFromIt() throws Exception {
        assertThat(JAR).as("built by package, before the integration tests").isRegularFile();
        assertThat(ClassDataArchive.optionsIn(folder, "node", false, JAR))
                .as("no archive yet, and this process may not dump it")
                .isEmpty();

        // two JVMs dump at once, each into a file of its own: one dump becomes the archive, the other goes
        List<String> first = ClassDataArchive.optionsIn(folder, "node", true, JAR);
        List<String> second = ClassDataArchive.optionsIn(folder, "node", true, JAR);
        assertThat(dumpOf(first)).isNotEqualTo(dumpOf(second));
        assertThat(dumpOf(first).getParent()).isEqualTo(folder.toAbsolutePath());
        assertThat(java(first, List.of()).exit()).isZero();
        assertThat(java(second, List.of()).exit()).isZero();

        List<String> use = ClassDataArchive.optionsIn(folder, "node", true, JAR);
        assertThat(use).hasSize(2).last().isEqualTo("-Xlog:cds*=off");
        Path archive = Path.of(use.get(0).substring("-XX:SharedArchiveFile=".length()));
        assertThat(archive).isRegularFile().hasParent(folder.toAbsolutePath());
        assertThat(archive.getFileName().toString()).startsWith("node-").endsWith(".jsa");
        try (var left = Files.list(folder)) {
            assertThat(left)
                    .as("the dumps and their logs are gone once one is adopted")
                    .containsExactly(archive);
        }
        Run mapped = java(use, List.of("-Xlog:class+load=info"));
        assertThat(mapped.exit()).isZero();
        assertThat(mapped.out())
                .as("sessionctl's own classes come from the archive")
                .contains("org.sessioncluster.ctl.SessionCtl source: shared objects file (top)");
    }

    @Test
    void aDumpWhoseJvmNeverSaidItWasWrittenIsNotUsedAndGoesAfterAnHour() throws Exception {
        Path first = dumpOf(ClassDataArchive.optionsIn(folder, "balancer", true, JAR));
        Files.writeString(first, "half an archive: its JVM was killed while dumping");
        Path log = Path.of(first + ".log");
        Files.writeString(log, "[info][cds,dynamic] Archiving java.lang.Object\n");

        assertThat(ClassDataArchive.optionsIn(folder, "balancer", false, JAR))
                .as("a dump not written whole is never mapped")
                .isEmpty();
        Path second = dumpOf(ClassDataArchive.optionsIn(folder, "balancer", true, JAR));
        assertThat(second).as("another JVM dumps into a file of its own").isNotEqualTo(first);
        assertThat(first).exists();

        FileTime twoHoursAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        Files.setLastModifiedTime(log, twoHoursAgo);
        String key = first.getFileName()
                .toString()
                .substring(0, first.getFileName().toString().indexOf('.'));
        Path orphan = Files.writeString(folder.resolve(key + ".1-1.dump"), "a dump whose log went");
        Files.setLastModifiedTime(orphan, twoHoursAgo);
        ClassDataArchive.optionsIn(folder, "balancer", false, JAR);
        assertThat(first).doesNotExist();
        assertThat(log).doesNotExist();
        assertThat(orphan).doesNotExist();
    }

    @Test
    void aClassPathOfFoldersGetsNoArchive() {
        assertThat(ClassDataArchive.options(folder, "balancer", true, Path.of("target", "classes")))
                .isEmpty();
        assertThat(folder.resolve("cds")).doesNotExist();
    }

    @Test
    void theTestsStartTheirNodesFromThePackagedJar() {
        assertThat(Path.of(JvmCommands.classPath()))
                .as("failsafe runs the integration tests on the packaged jar")
                .isEqualTo(JAR.toAbsolutePath());
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
