package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The manual stays a manual: README.md short enough to read, every relative link in it and in the pages it
 * sends readers to (docs/manual/, CONTRIBUTING, CHANGELOG, cluster-config/README) leads to a file that
 * exists, and docs/results.md is what {@code scripts/results.sh} makes of the measured files today.
 */
class DocsTest {
    private static final Path ROOT =
            TestClusters.configFile().toAbsolutePath().normalize().getParent().getParent();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    @Test
    void readmeIsAManualOfAtMost250Lines() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        assertThat(lines.size()).as("README.md lines").isLessThanOrEqualTo(250);
        String text = String.join("\n", lines);
        assertThat(text).contains("./mvnw -B verify").contains("scripts/sessionctl up");
    }

    @Test
    void everyRelativeLinkLeadsToAFile() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(
                ROOT.resolve("README.md"),
                ROOT.resolve("CONTRIBUTING.md"),
                ROOT.resolve("CHANGELOG.md"),
                ROOT.resolve("cluster-config/README.md")));
        try (Stream<Path> manual = Files.list(ROOT.resolve("docs/manual"))) {
            manual.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        pages.add(ROOT.resolve("docs/results.md"));
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            Matcher m = LINK.matcher(Files.readString(page, StandardCharsets.UTF_8));
            while (m.find()) {
                String target = m.group(1);
                if (target.contains("://") || target.startsWith("mailto:")) {
                    continue;
                }
                if (!Files.exists(page.getParent().resolve(target).normalize())) {
                    broken.add(ROOT.relativize(page) + " -> " + target);
                }
            }
        }
        assertThat(broken).as("links to files that do not exist").isEmpty();
    }

    @Test
    void resultsPageIsWhatTheScriptMakesOfTheMeasuredFiles() throws Exception {
        Process p = new ProcessBuilder(
                        "bash", ROOT.resolve("scripts/results.sh").toString(), "--check")
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
