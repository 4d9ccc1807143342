package org.sessioncluster.ctl.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.sessioncluster.ctl.BadInputException;
import org.sessioncluster.ctl.cluster.LaunchException;

/**
 * Makes another version of the WAR without a rebuild: a copy whose app.properties says another version
 * (and, for canary demos, a failure rate). The same thing {@code ./mvnw package -Dapp.version=2.0
 * -Dapp.failure.rate=1.0} builds.
 */
public final class WarVersion {
    static final String APP_PROPERTIES = "WEB-INF/classes/org/sessioncluster/webapp/app.properties";

    private WarVersion() {}

    public static void write(Path from, Path to, String version, double failureRate) {
        if (!version.matches("[A-Za-z0-9._+-]{1,40}")) {
            throw new BadInputException(
                    "--app-version '" + version + "' is not allowed; allowed: 1 to 40 letters, digits or . _ + -");
        }
        if (failureRate < 0 || failureRate > 1) {
            throw new BadInputException("--failure-rate " + failureRate + " is not allowed; allowed: 0 to 1");
        }
        if (!Files.isRegularFile(from)) {
            throw new BadInputException(
                    "WAR not found: " + from + " (build it with ./mvnw -q package -DskipTests, or pass --from)");
        }
        boolean found = false;
        try {
            if (to.toAbsolutePath().getParent() != null) {
                Files.createDirectories(to.toAbsolutePath().getParent());
            }
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from));
                    ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
                for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    if (e.getName().equals(APP_PROPERTIES)) {
                        found = true;
                        out.write(("version=" + version + "\nfailure.rate=" + failureRate + "\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                    } else {
                        copy(in, out);
                    }
                    out.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new LaunchException("cannot write " + to + ": " + e.getMessage(), e);
        }
        if (!found) {
            try {
                Files.deleteIfExists(to); // no copy that looks like a WAR of ours is left behind
            } catch (IOException e) {
                // said below all the same
            }
            throw new BadInputException(from + " is not this project's webapp (it has no " + APP_PROPERTIES + ")");
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        in.transferTo(out);
    }
}
