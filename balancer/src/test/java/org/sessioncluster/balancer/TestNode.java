package org.sessioncluster.balancer;

import jakarta.servlet.http.HttpServlet;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/** A real Tomcat on a free loopback port serving one servlet at /: the node behind the balancer in its tests. */
final class TestNode {
    private TestNode() {}

    static Tomcat start(Path dir, HttpServlet servlet) throws LifecycleException {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(dir.resolve("backend").toString());
        Connector c = new Connector();
        c.setPort(0);
        c.setProperty("address", "127.0.0.1");
        tomcat.setConnector(c);
        Context ctx = tomcat.addContext("", null);
        Tomcat.addServlet(ctx, "node", servlet);
        ctx.addServletMappingDecoded("/", "node");
        tomcat.start();
        return tomcat;
    }

    static String url(Tomcat tomcat) {
        return "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
    }
}
