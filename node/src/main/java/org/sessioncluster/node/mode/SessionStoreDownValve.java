package org.sessioncluster.node.mode;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.redisson.client.RedisException;
import org.sessioncluster.node.redis.SessionFormatException;

/**
 * When the session server (Redis) cannot be reached, a request that needs its session gets a short
 * 503 "try again" answer instead of Tomcat's 500 page with a stack trace. The Redis clients reconnect by themselves,
 * so the node serves again as soon as Redis is back; nothing here holds state.
 */
public final class SessionStoreDownValve extends ValveBase {
    private static final Logger LOG = Logger.getLogger(SessionStoreDownValve.class.getName());
    private final Supplier<String> store;

    public SessionStoreDownValve(String store) {
        this(() -> store);
    }

    /** For a manager that learns where its store is only after the valve is in place. */
    public SessionStoreDownValve(Supplier<String> store) {
        super(true);
        this.store = store;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        try {
            getNext().invoke(request, response);
        } catch (RuntimeException e) {
            if (!isStoreFailure(e)) {
                throw e;
            }
            request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, e);
        }
        Throwable failure = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (failure == null || !isStoreFailure(failure) || response.isCommitted()) {
            return;
        }
        request.removeAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (refusedClass(failure) != null) {
            // Redis answered, but the session holds a class session.allowed.classes does not allow: refused
            // before it was built. Not a store outage, so no Retry-After.
            LOG.severe(() -> "session data in " + store.get() + " refused: " + refusedClass(failure) + " ("
                    + request.getMethod() + " " + request.getRequestURI() + " answered 500)");
            StoreFailureAnswer.write(
                    request,
                    response,
                    500,
                    "session data refused",
                    "This session holds data this server does not accept. Log in again to start a new session.");
            return;
        }
        LOG.warning(() -> "session store " + store.get() + " unavailable: " + root(failure) + " (" + request.getMethod()
                + " " + request.getRequestURI() + " answered 503)");
        StoreFailureAnswer.write(
                request,
                response,
                503,
                "session store unavailable",
                "The session server cannot be reached. Nothing you did is lost on this page; try again in a few seconds.");
    }

    /** The message of a deserialization refusal in the chain (the session.allowed.classes filter), else null. */
    static String refusedClass(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.InvalidClassException || t instanceof SessionFormatException) {
                return t.getMessage();
            }
        }
        return null;
    }

    static boolean isStoreFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // the redis mode's own client (Jedis) first
            if (t instanceof redis.clients.jedis.exceptions.JedisException
                    || t instanceof SessionFormatException
                    || otherClientFailure(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Redisson's (redisson mode), Spring Data Redis's and Lettuce's (spring-session) failures. A stock Tomcat in
     * redis mode has none of their classes: there the check answers no instead of failing.
     */
    private static boolean otherClientFailure(Throwable t) {
        try {
            return t instanceof RedisException
                    || t instanceof org.springframework.dao.DataAccessException
                    || t instanceof io.lettuce.core.RedisException;
        } catch (LinkageError absent) {
            return false;
        }
    }

    private static String root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
