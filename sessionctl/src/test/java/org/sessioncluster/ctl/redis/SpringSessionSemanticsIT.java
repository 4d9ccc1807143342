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
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.ManagedProcess;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.load.meter.RespConnection;
import org.sessioncluster.node.springsession.SpringSessionInstaller;

/**
 * Where spring-session's semantics differ from the redis mode's, measured on a real Tomcat and Redis with an
 * application of the test's own (an {@code HttpSessionListener}, an {@code HttpSessionBindingListener}
 * attribute): the README's table quotes what this asserts. Spring Session's RedisSessionRepository keeps a
 * session as one hash with a TTL and publishes no session events, so a timed-out session vanishes without
 * its listeners hearing of it (the redis mode tells them once, RedisSessionListenersIT), and an
 * invalidation in a request deletes the key without calling valueUnbound or sessionDestroyed either.
 */
@ResourceLock(ListenerCounts.LOCK)
class SpringSessionSemanticsIT {
    @TempDir
    Path dir;

    private Tomcat tomcat;
    private ManagedProcess redis;

    @AfterEach
    void stop() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
        if (redis != null) {
            redis.kill();
        }
    }

    @Test
    void timedOutAndInvalidatedSessionsAndTheirListeners() throws Exception {
        int port = TestClusters.freePort();
        redis = RedisServer.startOnLoopback(port, dir.resolve("redis.log"));
        tomcat = new Tomcat();
        Context ctx = ListenerCounts.loopbackApp(tomcat, dir.resolve("tomcat"), "a");
        Tomcat.addServlet(ctx, "badge", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                var session = req.getSession(true);
                session.setAttribute("badge", new ListenerCounts.Badge());
                session.setMaxInactiveInterval(Integer.parseInt(req.getParameter("seconds")));
                resp.getWriter().print(session.getId());
            }

            @Override
            protected void doDelete(HttpServletRequest req, HttpServletResponse resp) {
                req.getSession().invalidate();
            }
        });
        ctx.addServletMappingDecoded("/badge", "badge");
        SpringSessionInstaller.install(
                TestClusters.config(
                        SessionMode.SPRING_SESSION, 1, Map.of(ConfigKeys.REDIS_ADDRESS, "redis://127.0.0.1:" + port)),
                "a",
                ctx);
        tomcat.start();
        String base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
        HttpClient http = HttpClient.newBuilder()
                .cookieHandler(new java.net.CookieManager())
                .build();
        ListenerCounts.reset();

        // a session that times out: its key goes by Redis's TTL, and no listener hears of it
        String id = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/badge?seconds=1"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        String key = SpringSessionInstaller.NAMESPACE + ":sessions:" + id;
        try (RespConnection r = RespConnection.open("127.0.0.1", port, false, RespConnection.Access.NONE, 2000)) {
            assertThat(r.call("EXISTS", key)).isEqualTo(1L);
            assertThat((Long) r.call("PTTL", key)).as("the TTL is the timeout").isBetween(1L, 1000L);
            await().atMost(Duration.ofSeconds(5)).until(() -> Long.valueOf(0).equals(r.call("EXISTS", key)));
        }
        // the one request after it: a new session, still no listener call for the old one
        http.send(
                HttpRequest.newBuilder(URI.create(base + "/badge?seconds=60"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(DESTROYED.get())
                .as("sessionDestroyed for the timed-out session")
                .isZero();
        assertThat(UNBOUND.get()).as("valueUnbound for the timed-out session").isZero();

        // an invalidation in a request: neither the attribute nor any HttpSessionListener hears of it
        http.send(
                HttpRequest.newBuilder(URI.create(base + "/badge")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(UNBOUND.get()).as("valueUnbound on invalidate").isZero();
        assertThat(DESTROYED.get()).as("sessionDestroyed on invalidate").isZero();
    }
}
