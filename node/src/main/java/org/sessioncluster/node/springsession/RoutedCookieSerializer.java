package org.sessioncluster.node.springsession;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;

/**
 * The session cookie as Tomcat writes it, so the balancer's sticky policy and the tools read it unchanged:
 * {@code JSESSIONID=<id>.<node>}, not base64. Spring's own jvmRoute support strips only this node's route,
 * so an id that arrives from another node (after a failover) would not be found; this strips any route.
 */
final class RoutedCookieSerializer implements CookieSerializer {
    private final DefaultCookieSerializer cookies = new DefaultCookieSerializer();
    private final String route;

    RoutedCookieSerializer(String route) {
        this.route = route;
        cookies.setCookieName("JSESSIONID");
        cookies.setUseBase64Encoding(false);
        cookies.setCookiePath("/");
        cookies.setUseHttpOnlyCookie(true);
    }

    @Override
    public void writeCookieValue(CookieValue value) {
        String id = value.getCookieValue();
        CookieValue routed = new CookieValue(
                value.getRequest(), value.getResponse(), id == null || id.isEmpty() ? "" : id + "." + route);
        routed.setCookieMaxAge(value.getCookieMaxAge());
        cookies.writeCookieValue(routed);
    }

    @Override
    public List<String> readCookieValues(HttpServletRequest request) {
        return cookies.readCookieValues(request).stream()
                .map(RoutedCookieSerializer::withoutRoute)
                .toList();
    }

    /** Spring Session's ids are UUIDs (no dot): everything after the first dot is a route. */
    static String withoutRoute(String value) {
        int dot = value.indexOf('.');
        return dot < 0 ? value : value.substring(0, dot);
    }
}
