package org.sessioncluster.ctl.cluster;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Class data sharing for the JVMs sessionctl starts (nodes, balancer): the first run of a role dumps the classes
 * it loaded into an archive in the run folder ({@code -XX:ArchiveClassesAtExit}, written when the JVM stops), and
 * later runs map it ({@code -XX:SharedArchiveFile}) instead of reading, checking and linking those classes
 * again — about a third less CPU for a node to start. Only when sessionctl runs from its single jar (as
 * {@code scripts/sessionctl} and the Docker image do): the archive is named after the size and time of that jar and
 * its libraries and the Java version, so a rebuild or another JDK gets a new one; a JVM that cannot use an archive
 * starts without it, silently.
 */
final class ClassDataArchive {
    private ClassDataArchive() {}

    /**
     * The JVM options for a process of this role; {@code dumps} says whether this process may write the archive
     * when there is none yet (one process per role, so two do not write the same file).
     */
    static List<String> options(Path runDir, String role, boolean dumps) {
        return options(runDir, role, dumps, Path.of(System.getProperty("java.class.path")));
    }

    /** The same for a JVM whose class path is {@code jar}. */
    static List<String> options(Path runDir, String role, boolean dumps, Path jar) {
        if (!jar.toString().endsWith(".jar") || !Files.isRegularFile(jar)) {
            return List.of(); // classes in folders (a build, the tests): an archive cannot hold them
        }
        Path folder = runDir.resolve("cds");
        Path archive;
        try {
            String key = Long.toHexString(fingerprint(jar) * 31
                    + System.getProperty("java.vm.version").hashCode());
            archive = folder.resolve(role + "-" + key + ".jsa").toAbsolutePath();
            if (Files.isRegularFile(archive)) {
                return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off");
            }
            if (!dumps) {
                return List.of();
            }
            Files.createDirectories(folder);
            removeOthers(folder, role);
        } catch (IOException e) {
            return List.of(); // no archive: the JVM starts as it would without one
        }
        return List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds*=off");
    }

    /**
     * The size and time of the jar and of each jar its manifest's Class-Path names (sessionctl's libraries): the
     * JVM checks them all before it maps an archive, so any of them changed asks for a new one.
     */
    private static long fingerprint(Path jar) throws IOException {
        long f = Files.size(jar) * 31 + Files.getLastModifiedTime(jar).toMillis();
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String classPath =
                    manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (classPath != null) {
                for (String entry : classPath.trim().split("\\s+")) {
                    Path lib = jar.toAbsolutePath().getParent().resolve(entry);
                    if (Files.isRegularFile(lib)) {
                        f = f * 31
                                + Files.size(lib) * 17
                                + Files.getLastModifiedTime(lib).toMillis();
                    }
                }
            }
        }
        return f;
    }

    /** The archives of earlier jars of this role. */
    private static void removeOthers(Path folder, String role) throws IOException {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(folder, role + "-*.jsa")) {
            for (Path p : old) {
                Files.deleteIfExists(p);
            }
        }
    }
}
