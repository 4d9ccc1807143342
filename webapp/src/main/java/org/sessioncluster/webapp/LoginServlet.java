package org.sessioncluster.webapp;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * {@code POST /login} (parameter {@code user}) and {@code POST /logout}. Login gives the session a new id
 * (session fixation protection); logout invalidates the session.
 */
@WebServlet({"/login", "/logout"})
public class LoginServlet extends HttpServlet {
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if ("/logout".equals(req.getServletPath())) {
            HttpSession session = req.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            Responses.state(req, resp, SessionState.NONE);
            return;
        }
        String user = Responses.parameter(req, resp, "user", USER, "1 to 64 letters, digits or . _ @ -");
        if (user == null) {
            return;
        }
        HttpSession session = req.getSession(false);
        if (session == null) {
            session = req.getSession(true);
        } else {
            req.changeSessionId();
            session = req.getSession(false);
        }
        SessionState.update(session, shop -> shop.withUser(user));
        Responses.state(req, resp, SessionState.of(session));
    }
}
