package org.sessioncluster.ctl.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.ctl.BadInputException;

/** make-war's input checks: a WAR that is missing or is not this project's is the user's input, not a failed launch. */
class WarVersionTest {
    @TempDir
    Path dir;

    @Test
    void aMissingWarIsBadInput() {
        assertThatThrownBy(() -> WarVersion.write(dir.resolve("none.war"), dir.resolve("out.war"), "2.0", 0))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("WAR not found");
    }

    @Test
    void anotherProjectsWarIsBadInput() throws Exception {
        Path other = dir.resolve("other.war");
        try (OutputStream file = Files.newOutputStream(other);
                ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
            zip.write("<web-app/>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        assertThatThrownBy(() -> WarVersion.write(other, dir.resolve("out.war"), "2.0", 0))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("is not this project's webapp");
        assertThat(dir.resolve("out.war")).as("no copy left behind").doesNotExist();
    }
}
