package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.cluster.RunningCluster;

/**
 * The pages people look at, in headless Chromium: the webapp page through the balancer of a 3-node
 * delta cluster keeps the cart when the node that served the last click is killed, and the balancer's
 * dashboard shows that node down within 2 s.
 */
// times what it measures in fractions of a second: alone, not beside another test class
@Isolated
class BrowserIT {
    @TempDir
    Path runDir;

    private static String text(WebDriver page, String id) {
        return page.findElement(By.id(id)).getText();
    }

    /** Reads an element of the dashboard in one step: it redraws every second, so a found element may be gone a moment later. */
    private static String live(Browser browser, String id, String property) {
        Object value = browser.js(
                "const e = document.getElementById(arguments[0]); return e ? e[arguments[1]] : '';", id, property);
        return value == null ? "" : value.toString();
    }

    private static void submit(WebDriver page, String action, String field, String value) {
        WebElement form = page.findElement(By.cssSelector("form[action='" + action + "']"));
        if (field != null) {
            WebElement input = form.findElement(By.name(field));
            input.clear();
            input.sendKeys(value);
        }
        WebElement before = page.findElement(By.tagName("html"));
        form.findElement(By.tagName("button")).click();
        // The click starts a navigation; elements looked up before the new page replaced the old one would be
        // the old page's (or go stale while being read), so wait until the old document is gone.
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> isStale(before));
    }

    private static boolean isStale(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        }
    }

    @Test
    void pageKeepsTheCartOnAnotherNodeWhenTheServingNodeDiesAndTheDashboardShowsItDown() throws Exception {
        try (RunningCluster cluster = TestClusters.startBalanced(SessionMode.DELTA, 3, runDir, "sticky", Map.of());
                Browser browser = Browser.open()) {
            WebDriver page = browser.driver();
            page.get(cluster.balancerUrl() + "/");
            assertThat(text(page, "session-id")).isEqualTo("none");
            submit(page, "/login", "user", "ana");
            assertThat(text(page, "user")).isEqualTo("ana");
            submit(page, "/cart/items", "item", "apple");
            assertThat(text(page, "cart")).isEqualTo("apple");
            String served = text(page, "served-by");
            assertThat(served).startsWith("node-");
            assertThat(text(page, "app-version")).isNotBlank().isNotEqualTo("unknown");
            browser.screenshot("webapp-page");
            String pageWindow = page.getWindowHandle();

            page.switchTo().newWindow(WindowType.TAB);
            page.get(cluster.config().registry().url() + "/");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> page.findElements(By.cssSelector(".node.up")).size() == 3);
            assertThat(live(browser, "summary", "innerText"))
                    .contains("mode delta")
                    .contains("3 of 3 nodes up");

            cluster.node(served).process().kill(); // SIGKILL
            long killedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() ->
                            live(browser, "node-box-" + served, "className").matches(".*\\b(down|gone)\\b.*"));
            long shownAfter = (System.nanoTime() - killedAt) / 1_000_000;
            assertThat(shownAfter).isLessThan(2000);
            System.out.println("dashboard showed " + served + " down " + shownAfter + " ms after SIGKILL");
            // the last minutes, as charts: a live node's requests/s has points, the kill is marked on every chart
            String alive = cluster.nodes().stream()
                    .map(n -> n.name())
                    .filter(n -> !n.equals(served))
                    .findFirst()
                    .orElseThrow();
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> String.valueOf(browser.js("const b = document.getElementById('history-nodes');"
                                    + " return b && b.dataset.events ? b.dataset.events : '';"))
                            .contains(served + " down"));
            Object points = browser.js(
                    "const c = document.getElementById(arguments[0]);"
                            + " return c ? Number(c.getAttribute('data-points')) : 0;",
                    "chart-" + alive + "-requestsPerSecond");
            assertThat(((Number) points).intValue())
                    .as("requests/s points of " + alive)
                    .isGreaterThanOrEqualTo(2);
            Object marks = browser.js(
                    "const c = document.getElementById(arguments[0]);"
                            + " return c ? Number(c.getAttribute('data-events')) : 0;",
                    "chart-" + alive + "-p99Ms");
            assertThat(((Number) marks).intValue())
                    .as("the kill is marked on the charts")
                    .isGreaterThanOrEqualTo(1);
            browser.screenshot("dashboard");
            assertThat(browser.consoleErrors()).isEmpty();

            page.switchTo().window(pageWindow);
            submit(page, "/cart/items", "item", "pear");
            assertThat(text(page, "served-by")).startsWith("node-").isNotEqualTo(served);
            assertThat(text(page, "cart")).isEqualTo("apple, pear");
            assertThat(text(page, "user")).isEqualTo("ana");
            assertThat(browser.consoleErrors()).isEmpty();
            browser.screenshot("webapp-page-after-failover");
        }
    }

    @Test
    void dashboardDrawsTheSessionServerInRedisMode() throws Exception {
        try (RunningCluster cluster =
                        TestClusters.startBalanced(SessionMode.REDIS, 2, runDir, "round-robin", Map.of());
                Browser browser = Browser.open()) {
            WebDriver page = browser.driver();
            page.get(cluster.balancerUrl() + "/");
            submit(page, "/login", "user", "bea");
            page.get(cluster.config().registry().url() + "/");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> !live(browser, "session-server", "innerText").isEmpty());
            String server = live(browser, "session-server", "innerText");
            assertThat(server)
                    .contains(cluster.config().redis().address())
                    .contains("node-1")
                    .contains("node-2");
            assertThat(live(browser, "summary", "innerText"))
                    .contains("mode redis")
                    .contains("2 of 2 nodes up");
            assertThat(page.findElements(By.xpath("//td[text()='replicated out/s']")))
                    .as("no node-to-node replication in redis mode")
                    .isEmpty();
            assertThat(browser.consoleErrors()).isEmpty();
            browser.screenshot("dashboard-redis");
        }
    }
}
