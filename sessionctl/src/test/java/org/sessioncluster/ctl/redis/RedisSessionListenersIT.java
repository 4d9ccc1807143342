package org.sessioncluster.ctl.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sessioncluster.ctl.redis.ListenerCounts.DESTROYED;
import static org.sessioncluster.ctl.redis.ListenerCounts.UNBOUND;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.ManagedProcess;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.load.meter.RespConnection;
import org.sessioncluster.node.redis.RedisSessionManager;

/**
 * The redis mode's manager in two embedded Tomcats of this JVM over one real Redis, with an application of
 * the test's own: an attribute that is an {@code HttpSessionBindingListener} and an {@code HttpSessionListener}.
 * When a session times out in Redis, each of them hears it exactly once across both Tomcats.
 */
@ResourceLock(ListenerCounts.LOCK)
class RedisSessionListenersIT {
    @TempDir
    Path dir;

    private final List<Tomcat> tomcats = new ArrayList<>();
    private final List<RedisSessionManager> managers = new ArrayList<>();
    private ManagedProcess redis;

    @AfterEach
    void stop() throws Exception {
        for (Tomcat t : tomcats) {
            t.stop();
            t.destroy();
        }
        if (redis != null) {
            redis.kill();
        }
    }

    private String startTomcat(String name, int redisPort) throws Exception {
        return startTomcat(name, redisPort, "redis");
    }

    private String startTomcat(String name, int redisPort, String lockMode) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.getEngine().setName("listeners-" + name);
        Context ctx = ListenerCounts.loopbackApp(tomcat, dir.resolve(name), name);
        ctx.setDistributable(true);
        RedisSessionManager manager = new RedisSessionManager();
        manager.setAddress("redis://127.0.0.1:" + redisPort);
        manager.setLockMode(lockMode);
        manager.setSessionAttributeValueClassNameFilter("org\\.sessioncluster\\.ctl\\..*|java\\.lang\\..*");
        ctx.setManager(manager);
        Tomcat.addServlet(ctx, "badge", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                req.getSession(true).setAttribute("badge", new ListenerCounts.Badge());
                resp.getWriter().print(req.getSession().getId());
            }
        });
        ctx.addServletMappingDecoded("/badge", "badge");
        Tomcat.addServlet(ctx, "slow", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) {
                req.getSession().setAttribute("slow", "done");
                try {
                    Thread.sleep(1500); // the application's own long work, while the request holds the session
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        ctx.addServletMappingDecoded("/slow", "slow");
        Tomcat.addServlet(ctx, "peek", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                req.getSession().setAttribute("peek", "seen"); // a GET that writes, against the rules
            }
        });
        ctx.addServletMappingDecoded("/peek", "peek");
        tomcat.start();
        tomcats.add(tomcat);
        managers.add(manager);
        return "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
    }

    @Test
    void aSessionThatTimesOutInRedisIsToldOnceAcrossTwoTomcats() throws Exception {
        int port = TestClusters.freePort();
        redis = RedisServer.startOnLoopback(port, dir.resolve("redis.log"));
        String one = startTomcat("a", port);
        startTomcat("b", port);
        String id = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(one + "/badge"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        String key = "sessioncluster:session:{" + id + "}";
        ListenerCounts.reset();
        long[] before = managers.stream()
                .mapToLong(RedisSessionManager::expiryNoticesHandled)
                .toArray();
        try (RespConnection r = RespConnection.open("127.0.0.1", port, false, RespConnection.Access.NONE, 2000)) {
            assertThat(r.call("EXISTS", key)).isEqualTo(1L);
            r.call("PEXPIRE", key + ":expires", "1"); // what Redis does after the timeout, now
        }
        // both Tomcats hear it and try to claim it; only after both did is the count final
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (int i = 0; i < managers.size(); i++) {
                if (managers.get(i).expiryNoticesHandled() <= before[i]) {
                    return false;
                }
            }
            return true;
        });
        assertThat(DESTROYED.get()).as("sessionDestroyed across both Tomcats").isEqualTo(1);
        assertThat(UNBOUND.get()).as("valueUnbound across both Tomcats").isEqualTo(1);
        try (RespConnection r = RespConnection.open("127.0.0.1", port, false, RespConnection.Access.NONE, 2000)) {
            assertThat(r.call("EXISTS", key))
                    .as("the expired session's data is gone")
                    .isEqualTo(0L);
        }
    }

    /**
     * Lock mode writes: a GET takes no Redis lock, so one that writes anyway while a POST holds the session is
     * refused (503), not saved over the POST's work; once the POST is done the same GET is saved.
     */
    @Test
    void aReadThatWritesIsRefusedWhileAWriteHoldsTheSession() throws Exception {
        int port = TestClusters.freePort();
        redis = RedisServer.startOnLoopback(port, dir.resolve("redis.log"));
        String one = startTomcat("a", port, "writes");
        String two = startTomcat("b", port, "writes");
        HttpClient http = HttpClient.newHttpClient();
        String id = http.send(
                        HttpRequest.newBuilder(URI.create(one + "/badge"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        String cookie = "JSESSIONID=" + id;
        String key = "sessioncluster:session:{" + id + "}";
        var slow = http.sendAsync(
                HttpRequest.newBuilder(URI.create(one + "/slow"))
                        .header("Cookie", cookie)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        try (RespConnection r = RespConnection.open("127.0.0.1", port, false, RespConnection.Access.NONE, 2000)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> Long.valueOf(1).equals(r.call("EXISTS", key + ":lock")));
            HttpRequest peek = HttpRequest.newBuilder(URI.create(two + "/peek"))
                    .header("Cookie", cookie)
                    .build();
            assertThat(http.send(peek, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("a GET that writes while a POST holds the session")
                    .isEqualTo(503);
            assertThat(slow.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode())
                    .isEqualTo(200);
            assertThat(http.send(peek, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("the same GET once the POST is done")
                    .isEqualTo(200);
            assertThat(r.call("HKEYS", key).toString())
                    .as("both changes are kept")
                    .contains("a:slow", "a:peek");
        }
    }
}
