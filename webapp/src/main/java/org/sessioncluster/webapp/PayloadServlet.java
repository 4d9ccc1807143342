package org.sessioncluster.webapp;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Arrays;

/**
 * {@code PUT /payload?bytes=N} (or POST, for HTML forms) stores N bytes in the session, to grow it on
 * purpose and measure what a bigger session costs. N is capped by {@code session.payload.max.bytes}.
 */
@WebServlet("/payload")
public class PayloadServlet extends HttpServlet {
    static final String MAX_PROPERTY = "sessioncluster.payload.max.bytes";
    private static final int DEFAULT_MAX = 262_144;
    private int maxBytes;

    @Override
    public void init() throws ServletException {
        String configured = System.getProperty(MAX_PROPERTY, Integer.toString(DEFAULT_MAX));
        try {
            maxBytes = Integer.parseInt(configured.trim());
        } catch (NumberFormatException e) {
            throw new ServletException(MAX_PROPERTY + " = '" + configured + "' is not a whole number");
        }
    }

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String param = req.getParameter("bytes");
        long bytes;
        try {
            bytes = Long.parseLong(param == null ? "" : param.trim());
        } catch (NumberFormatException e) {
            Responses.error(resp, 400, "parameter 'bytes' must be a whole number from 0 to " + maxBytes);
            return;
        }
        if (bytes < 0) {
            Responses.error(resp, 400, "parameter 'bytes' must be a whole number from 0 to " + maxBytes);
            return;
        }
        if (bytes > maxBytes) {
            Responses.error(
                    resp,
                    413,
                    "a payload of " + bytes + " bytes is over this node's limit of " + maxBytes
                            + " bytes (session.payload.max.bytes)");
            return;
        }
        HttpSession session = req.getSession(true);
        byte[] payload = new byte[(int) bytes];
        Arrays.fill(payload, (byte) 'x');
        session.setAttribute(SessionState.PAYLOAD, payload);
        int size = payload.length;
        SessionState.update(session, shop -> shop.withPayload(size));
        Responses.state(req, resp, SessionState.of(session));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        doPut(req, resp);
    }
}
