package org.sessioncluster.balancer.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.sessioncluster.balancer.backend.Backend;
import org.sessioncluster.balancer.backend.BackendPool;
import org.sessioncluster.config.BalancerPolicyName;
import org.sessioncluster.config.ConfigException;

/**
 * Chooses the node for a request. With the sticky policy a session id's jvmRoute suffix
 * ({@code <id>.node-2}) names the node, as mod_jk and HAProxy do; a session whose node is gone, and every
 * request without a route, goes to a node the base policy picks among those taking new sessions.
 */
public final class Router {
    private final BackendPool pool;
    private final boolean sticky;
    private final BalancingPolicy base;

    public Router(BackendPool pool, String policyName) {
        this.pool = pool;
        switch (policyName) {
            case BalancerPolicyName.ROUND_ROBIN -> {
                sticky = false;
                base = new RoundRobinPolicy();
            }
            case BalancerPolicyName.LEAST_CONNECTIONS -> {
                sticky = false;
                base = new LeastConnectionsPolicy();
            }
            case BalancerPolicyName.STICKY -> {
                sticky = true;
                base = new RoundRobinPolicy();
            }
            default ->
                throw new ConfigException("balancer.policy = '" + policyName + "' is not allowed; allowed: "
                        + String.join(", ", BalancerPolicyName.NAMES));
        }
    }

    public boolean sticky() {
        return sticky;
    }

    /**
     * The node for a request, or empty when none may take it.
     *
     * @param route   the jvmRoute of the request's session id, or null
     * @param exclude nodes already tried for this request
     */
    public Optional<Backend> choose(String route, Set<Backend> exclude) {
        if (sticky && route != null) {
            Optional<Backend> home = pool.get(route).filter(Backend::routable).filter(b -> !exclude.contains(b));
            if (home.isPresent()) {
                return home;
            }
        }
        List<Backend> candidates = new ArrayList<>();
        for (Backend b : pool.all()) {
            if (b.takesNewSessions() && !exclude.contains(b)) {
                candidates.add(b);
            }
        }
        return candidates.isEmpty() ? Optional.empty() : Optional.of(base.pick(candidates));
    }

    /** The jvmRoute of a JSESSIONID value ({@code ABC123.node-2} gives {@code node-2}), or null. */
    public static String routeOf(String sessionId) {
        if (sessionId == null) {
            return null;
        }
        int dot = sessionId.lastIndexOf('.');
        if (dot < 0 || dot == sessionId.length() - 1 || sessionId.length() > 256) {
            return null;
        }
        if (sessionId.length() - dot - 1 > 64) {
            return null;
        }
        for (int i = dot + 1; i < sessionId.length(); i++) {
            char c = sessionId.charAt(i);
            boolean allowed =
                    c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
            if (!allowed) {
                return null;
            }
        }
        return sessionId.substring(dot + 1);
    }
}
