package org.sessioncluster.node.redis;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.logging.Logger;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.sessioncluster.node.mode.StoreFailureAnswer;

/**
 * Opens the redis manager's request (its session is locked and loaded when first asked for) and closes it
 * after the application: the save finishes before the answer leaves the node, so a node killed after a
 * 200 has lost nothing. A session held too long by another request, or changed under this one, gets a
 * 503 with Retry-After (the change was not saved, the client may send it again).
 */
final class RedisSessionValve extends ValveBase {
    private static final Logger LOG = Logger.getLogger(RedisSessionValve.class.getName());
    /** Methods that should not change state (RFC 9110 "safe"): with lock mode WRITES they take no Redis lock. */
    private static final java.util.Set<String> SAFE_METHODS = java.util.Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final RedisSessionManager manager;

    RedisSessionValve(RedisSessionManager manager) {
        super(true);
        this.manager = manager;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        RedisSessionAccess access = manager.access();
        if (access == null || !manager.getState().isAvailable()) {
            getNext().invoke(request, response); // the context is starting or stopping: no session of ours
            return;
        }
        RedisSessionRequest sessions = access.beginRequest(!SAFE_METHODS.contains(request.getMethod()));
        SessionBusyException busy = null;
        try {
            getNext().invoke(request, response);
        } catch (SessionBusyException e) {
            busy = e;
        } finally {
            try {
                access.endRequest(sessions);
            } catch (SessionBusyException e) {
                busy = e;
            }
        }
        if (busy == null && request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof SessionBusyException e) {
            busy = e;
        }
        if (busy != null) {
            request.removeAttribute(RequestDispatcher.ERROR_EXCEPTION);
            String why = busy.getMessage();
            LOG.warning(() -> why + " (" + request.getMethod() + " " + request.getRequestURI() + " answered 503)");
            if (!response.isCommitted()) {
                StoreFailureAnswer.write(
                        request,
                        response,
                        503,
                        "session busy",
                        "Another request changed or held this session at the same moment; nothing of this one was"
                                + " saved. Try again.");
            }
        }
    }
}
