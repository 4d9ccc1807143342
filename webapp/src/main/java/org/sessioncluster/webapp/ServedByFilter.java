package org.sessioncluster.webapp;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Names the serving node (and the app's version) on every response, errors included, so a client always knows who answered. */
@WebFilter("/*")
public class ServedByFilter extends HttpFilter {
    static final String HEADER = "X-Served-By";

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        resp.setHeader(HEADER, NodeIdentity.name());
        resp.setHeader(AppVersion.HEADER, AppVersion.get());
        resp.setHeader("Cache-Control", "no-store");
        double failureRate = AppVersion.failureRateValue();
        if (failureRate > 0
                && !"/health".equals(req.getServletPath())
                && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < failureRate) {
            // A deliberately broken build (canary demos): healthy to the balancer, failing its users.
            resp.setStatus(500);
            resp.setContentType("application/json");
            resp.getWriter()
                    .write("{\"error\":\"version " + AppVersion.get() + " is broken on purpose (failure.rate="
                            + failureRate + ")\"}");
            return;
        }
        chain.doFilter(req, resp);
    }
}
