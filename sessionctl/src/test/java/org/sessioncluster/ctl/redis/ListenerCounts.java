package org.sessioncluster.ctl.redis;

import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * An application of the tests' own for what a session store tells its listeners: an attribute that is an
 * {@code HttpSessionBindingListener} ({@link Badge}) and an {@code HttpSessionListener} ({@link Counter}), each
 * counting what it hears in this JVM, on every Tomcat of the test.
 */
final class ListenerCounts {
    /** valueUnbound calls heard by any {@link Badge}. */
    static final AtomicInteger UNBOUND = new AtomicInteger();

    /** sessionDestroyed calls heard by any {@link Counter}. */
    static final AtomicInteger DESTROYED = new AtomicInteger();

    /** The counts are one per JVM: the test classes that read them hold this lock, never two at a time. */
    static final String LOCK = "session listener counts";

    private ListenerCounts() {}

    static void reset() {
        UNBOUND.set(0);
        DESTROYED.set(0);
    }

    /** Counts how often it is told it left a session (on whichever Tomcat tells it). */
    public static final class Badge implements HttpSessionBindingListener, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public void valueUnbound(HttpSessionBindingEvent event) {
            UNBOUND.incrementAndGet();
        }
    }

    /** Counts sessionDestroyed calls (one instance per Tomcat, one count for all). */
    public static final class Counter implements HttpSessionListener {
        @Override
        public void sessionDestroyed(HttpSessionEvent event) {
            DESTROYED.incrementAndGet();
        }
    }

    /**
     * An embedded Tomcat (not started) on a free loopback port, its base in {@code base}, with the application's
     * one context at "" whose {@link Counter} listens.
     */
    static Context loopbackApp(Tomcat tomcat, Path base, String jvmRoute) throws IOException {
        tomcat.setBaseDir(Files.createDirectories(base).toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.getEngine().setJvmRoute(jvmRoute);
        Context ctx = tomcat.addContext("", null);
        ctx.addApplicationListener(Counter.class.getName());
        return ctx;
    }
}
