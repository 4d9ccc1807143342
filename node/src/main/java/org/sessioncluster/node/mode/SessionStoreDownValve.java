package org.sessioncluster.node.mode;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.logging.Logger;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.redisson.client.RedisException;

/**
 * When the session server (Redis) cannot be reached, a request that needs its session gets a short
 * 503 "try again" answer instead of Tomcat's 500 page with a stack trace. Redisson reconnects by itself,
 * so the node serves again as soon as Redis is back; nothing here holds state.
 */
final class SessionStoreDownValve extends ValveBase {
    private static final Logger LOG = Logger.getLogger(SessionStoreDownValve.class.getName());
    private final String store;

    SessionStoreDownValve(String store) {
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
            LOG.severe(() -> "session data in " + store + " refused: " + refusedClass(failure) + " ("
                    + request.getMethod() + " " + request.getRequestURI() + " answered 500)");
            answer(
                    request,
                    response,
                    500,
                    "session data refused",
                    "This session holds data this server does not accept. Log in again to start a new session.");
            return;
        }
        LOG.warning(() -> "session store " + store + " unavailable: " + root(failure) + " (" + request.getMethod() + " "
                + request.getRequestURI() + " answered 503)");
        answer(
                request,
                response,
                503,
                "session store unavailable",
                "The session server cannot be reached. Nothing you did is lost on this page; try again in a few seconds.");
    }

    private static void answer(Request request, Response response, int status, String error, String explanation)
            throws IOException {
        response.reset();
        response.setStatus(status);
        if (status == 503) {
            response.setHeader("Retry-After", "2");
        }
        response.setHeader("Cache-Control", "no-store");
        boolean html = String.valueOf(request.getHeader("Accept")).contains("text/html");
        response.setContentType(html ? "text/html" : "application/json");
        response.setCharacterEncoding("UTF-8");
        PrintWriter out = response.getWriter();
        if (html) {
            out.print("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + status + " " + error
                    + "</title>"
                    + "<link rel=\"icon\" href=\"data:,\"></head><body><h1>"
                    + (status == 503 ? "Sessions are unavailable for a moment" : "Your session cannot be read")
                    + "</h1><p>" + explanation + "</p></body></html>");
        } else {
            out.print("{\"error\":\"" + error + "\",\"status\":" + status
                    + (status == 503 ? ",\"retryAfterSeconds\":2" : "") + "}");
        }
        response.flushBuffer(); // committed: Tomcat's error page leaves it alone
    }

    /** The message of a deserialization refusal in the chain (the session.allowed.classes filter), else null. */
    static String refusedClass(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.InvalidClassException) {
                return t.getMessage();
            }
        }
        return null;
    }

    static boolean isStoreFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RedisException) {
                return true;
            }
        }
        return false;
    }

    private static String root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
