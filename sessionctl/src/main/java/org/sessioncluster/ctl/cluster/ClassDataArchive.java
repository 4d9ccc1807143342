package org.sessioncluster.ctl.cluster;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Class data sharing for the JVMs sessionctl starts (nodes, balancer): a JVM started when there is no archive yet
 * dumps the classes it loaded when it stops ({@code -XX:ArchiveClassesAtExit}), and later JVMs map that archive
 * ({@code -XX:SharedArchiveFile}) instead of reading, checking and linking those classes again — about a third
 * less CPU for a node to start. Only when the JVMs run from sessionctl's jar (as {@code scripts/sessionctl}, the
 * Docker image and the integration tests do). The archive is named after the size and time of that jar and its
 * libraries and the Java version, so a rebuild or another JDK gets a new one; a JVM that cannot use an archive
 * starts without it, silently.
 *
 * <p>The archives live beside the jar ({@code cds/}), so every cluster maps them, whatever its run folder (the
 * throw-away clusters of {@code compare}, {@code failover}, {@code soak} and {@code chaos} too); where that folder
 * cannot be written, in the run folder. A JVM dumps into a file of its own, and the dump becomes the archive only
 * once the JVM's log says it was written whole: a JVM killed while dumping, or two dumping at once, leave no
 * broken archive.
 */
final class ClassDataArchive {
    /** What the JVM logs ({@code cds+dynamic}) once the whole archive is written. */
    private static final String WRITTEN = "Written dynamic archive";
    /** A dump that has not said it was written after this long never will (its JVM was killed). */
    private static final Duration ABANDONED = Duration.ofHours(1);

    /** How long a JVM that dumps the archive as it exits is given to stop before it is killed. */
    static final Duration DUMP_GRACE = Duration.ofSeconds(10);

    private ClassDataArchive() {}

    /** Whether this process (a JVM sessionctl started) dumps the archive as it exits. */
    static boolean dumpsAtExit(ManagedProcess process) {
        return ProcessHandle.of(process.pid())
                .flatMap(h -> h.info().arguments())
                .map(args -> Arrays.stream(args).anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit=")))
                .orElse(false);
    }

    /**
     * The JVM options for a process of this role that runs from {@code jar}; {@code dumps} says whether this
     * process may dump the archive when there is none yet.
     */
    static List<String> options(Path runDir, String role, boolean dumps, Path jar) {
        if (!isJar(jar)) {
            return List.of(); // classes in folders (a build, a test from an IDE): an archive cannot hold them
        }
        Path besideJar = jar.toAbsolutePath().getParent().resolve("cds");
        boolean writable =
                Files.isDirectory(besideJar) ? Files.isWritable(besideJar) : Files.isWritable(besideJar.getParent());
        return optionsIn(writable ? besideJar : runDir.resolve("cds"), role, dumps, jar);
    }

    /** The same with the archives in {@code folder}. */
    static List<String> optionsIn(Path folder, String role, boolean dumps, Path jar) {
        if (!isJar(jar)) {
            return List.of();
        }
        Path dump;
        try {
            String key = role + "-"
                    + Long.toHexString(fingerprint(jar) * 31
                            + System.getProperty("java.vm.version").hashCode());
            Path archive = folder.resolve(key + ".jsa").toAbsolutePath();
            if (Files.isDirectory(folder)) {
                adoptWrittenDump(folder, key, archive);
            }
            if (Files.isRegularFile(archive)) {
                return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off");
            }
            if (!dumps) {
                return List.of();
            }
            Files.createDirectories(folder);
            removeOthers(folder, role, key);
            dump = folder.resolve(key + "." + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".dump")
                    .toAbsolutePath();
        } catch (IOException e) {
            return List.of(); // no archive: the JVM starts as it would without one
        }
        if (dump.toString().matches(".*[\\s:,\"].*")) {
            return List.of(); // -Xlog's file= cannot name this path
        }
        return List.of(
                "-XX:ArchiveClassesAtExit=" + dump, "-Xlog:cds*=off", "-Xlog:cds+dynamic=info:file=" + dump + ".log");
    }

    private static boolean isJar(Path jar) {
        return jar.toString().endsWith(".jar") && Files.isRegularFile(jar);
    }

    /**
     * Makes the first dump whose JVM logged it as written whole the archive (an atomic rename: a JVM maps the whole
     * file or none); once there is one, removes the other written dumps, and any dump or log left for an hour (its
     * JVM was killed before it dumped, or while it did).
     */
    private static void adoptWrittenDump(Path folder, String key, Path archive) throws IOException {
        Instant abandoned = Instant.now().minus(ABANDONED);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, key + ".*.dump*")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                boolean old = changedBefore(file, abandoned);
                if (name.endsWith(".log")) {
                    Path dump = file.resolveSibling(name.substring(0, name.length() - ".log".length()));
                    boolean written = Files.isRegularFile(dump) && saysWritten(file);
                    if (written && !Files.isRegularFile(archive)) {
                        try {
                            Files.move(dump, archive, StandardCopyOption.ATOMIC_MOVE);
                        } catch (IOException e) {
                            // another sessionctl adopted a dump at the same moment
                        }
                    }
                    if (written && Files.isRegularFile(archive) || old) {
                        Files.deleteIfExists(dump);
                        Files.deleteIfExists(file);
                    }
                } else if (old) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Whether the file was last changed before {@code instant}; false when it is gone (adopted a moment ago). */
    private static boolean changedBefore(Path file, Instant instant) throws IOException {
        try {
            return Files.getLastModifiedTime(file).toInstant().isBefore(instant);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Whether the JVM's dump log ends with the line that says the archive was written whole. */
    private static boolean saysWritten(Path log) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(0, f.length() - 4096);
            byte[] tail = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(tail);
            return new String(tail, StandardCharsets.ISO_8859_1).contains(WRITTEN);
        } catch (FileNotFoundException e) {
            return false; // removed meanwhile by another sessionctl, which adopted its dump
        }
    }

    /**
     * The size and time of the jar and of each jar its manifest's Class-Path names (sessionctl's libraries): the
     * JVM checks them all before it maps an archive, so any of them changed asks for a new one.
     */
    private static long fingerprint(Path jar) throws IOException {
        long f = Files.size(jar) * 31 + Files.getLastModifiedTime(jar).toMillis();
        for (Path lib : JarManifest.libraries(jar)) {
            if (Files.isRegularFile(lib)) {
                f = f * 31
                        + Files.size(lib) * 17
                        + Files.getLastModifiedTime(lib).toMillis();
            }
        }
        return f;
    }

    /** The archives and dumps of this role for earlier jars or JDKs. */
    private static void removeOthers(Path folder, String role, String key) throws IOException {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(folder, role + "-*")) {
            for (Path p : old) {
                if (!p.getFileName().toString().startsWith(key + ".")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
