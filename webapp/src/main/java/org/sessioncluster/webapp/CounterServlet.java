package org.sessioncluster.webapp;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/** {@code POST /counter} adds one to the session's counter: the smallest possible session write. */
@WebServlet("/counter")
public class CounterServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpSession session = req.getSession(true);
        SessionState.update(session, ShopSession::counted);
        Responses.state(req, resp, SessionState.of(session));
    }
}
