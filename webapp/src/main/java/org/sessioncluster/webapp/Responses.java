package org.sessioncluster.webapp;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;

/** Writes the app's responses: JSON documents, session-state headers, and the redirect for HTML forms. */
final class Responses {
    static final String VERSION_HEADER = "X-Session-Version";
    static final String DIGEST_HEADER = "X-Session-Digest";

    private Responses() {}

    static void json(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(Json.write(body));
    }

    /**
     * The request parameter when it has the form; otherwise a 400 answer that says what the form is, and null (the
     * caller returns).
     */
    static String parameter(
            HttpServletRequest req, HttpServletResponse resp, String name, Pattern form, String formInWords)
            throws IOException {
        String value = req.getParameter(name);
        if (value == null || !form.matcher(value).matches()) {
            error(resp, 400, "parameter '" + name + "' must be " + formInWords);
            return null;
        }
        return value;
    }

    static void error(HttpServletResponse resp, int status, String message) throws IOException {
        json(resp, status, Map.of("error", message, "node", NodeIdentity.name()));
    }

    /** The session's state as JSON, with version and digest headers; forms asking for {@code next=/} go back to the page. */
    static void state(HttpServletRequest req, HttpServletResponse resp, SessionState state) throws IOException {
        resp.setHeader(VERSION_HEADER, Long.toString(state.version()));
        resp.setHeader(DIGEST_HEADER, state.digest());
        if ("/".equals(req.getParameter("next"))) {
            resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
            resp.setHeader("Location", req.getContextPath() + "/");
            return;
        }
        json(resp, 200, state.toJson());
    }
}
