package org.sessioncluster.webapp;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * {@code GET /work?ms=N}: a request that takes N ms (at most 10 s) without touching the session — a
 * stand-in for slow work, so a load test can hold connections open on a node.
 */
@WebServlet("/work")
public class WorkServlet extends HttpServlet {
    static final int MAX_MILLIS = 10_000;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long millis;
        try {
            millis = Long.parseLong(String.valueOf(req.getParameter("ms")).trim());
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis < 0 || millis > MAX_MILLIS) {
            Responses.error(resp, 400, "parameter 'ms' must be a whole number from 0 to " + MAX_MILLIS);
            return;
        }
        try {
            Thread.sleep(millis); // the point of this endpoint: occupy a request thread for a while
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Responses.json(resp, 200, Map.of("node", NodeIdentity.name(), "workedMs", millis));
    }
}
