package org.sessioncluster.balancer.admin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin API's routes as a table: a method and a path template ({@code /admin/nodes/{name}/{action}}) per
 * handler. A path no route has is a 404; a path whose routes take other methods is a 405 that names them.
 */
final class AdminRoutes {
    /** What a route does with a request and the template's values. */
    @FunctionalInterface
    interface Handler {
        AdminAnswer handle(AdminRequest request, Map<String, String> params) throws IOException;
    }

    private record Route(String method, String[] segments, Handler handler) {}

    private final List<Route> routes = new ArrayList<>();

    AdminRoutes add(String method, String template, Handler handler) {
        routes.add(new Route(method, split(template), handler));
        return this;
    }

    AdminAnswer dispatch(AdminRequest request) throws IOException {
        String[] path = split(request.path());
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Map<String, String> params = match(r.segments(), path);
            if (params == null) {
                continue;
            }
            if (r.method().equals(request.method())) {
                return r.handler().handle(request, params);
            }
            allowed.add(r.method());
        }
        if (!allowed.isEmpty()) {
            return AdminAnswer.error(
                    405, request.method() + " " + request.path() + " is not served; use " + String.join(", ", allowed));
        }
        return AdminAnswer.error(404, "no such admin resource: " + request.method() + " " + request.path());
    }

    /** The template's values, or null when the path does not fit it. */
    private static Map<String, String> match(String[] template, String[] path) {
        if (template.length != path.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>(2);
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                params.put(t.substring(1, t.length() - 1), path[i]);
            } else if (!t.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
