package org.sessioncluster.ctl.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** What a jar's manifest says about the jars it needs. */
public final class JarManifest {
    private JarManifest() {}

    /** The jars {@code jar}'s manifest names on its Class-Path, resolved beside it (none without one). */
    public static List<Path> libraries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String classPath =
                    manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (classPath == null || classPath.isBlank()) {
                return List.of();
            }
            Path dir = jar.toAbsolutePath().getParent();
            return Arrays.stream(classPath.trim().split("\\s+"))
                    .map(entry -> dir.resolve(entry).normalize())
                    .toList();
        }
    }
}
