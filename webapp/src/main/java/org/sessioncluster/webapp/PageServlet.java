package org.sessioncluster.webapp;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/** {@code GET /}: one small page for people — who served this click, what the session holds, buttons. */
@WebServlet("")
public class PageServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        SessionState s = SessionState.of(req.getSession(false));
        resp.setContentType("text/html");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader(Responses.VERSION_HEADER, Long.toString(s.version()));
        resp.setHeader(Responses.DIGEST_HEADER, s.digest());
        String base = req.getContextPath();
        PrintWriter out = resp.getWriter();
        out.println("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>session-cluster</title>");
        out.println("<style>body{font-family:sans-serif;max-width:40em;margin:2em auto}"
                + "td{padding:.2em 1em .2em 0}.node{font-size:1.6em;font-weight:bold}"
                + "form{display:inline-block;margin:.3em .5em .3em 0}</style></head><body>");
        out.println("<p>Served by <span class=\"node\" id=\"served-by\">" + html(NodeIdentity.name()) + "</span></p>");
        out.println("<table>");
        row(out, "session", s.exists() ? shorten(s.id()) : "none");
        row(out, "created by", s.createdBy());
        row(out, "user", s.user() == null ? "not logged in" : s.user());
        row(out, "cart", s.cart().isEmpty() ? "empty" : String.join(", ", s.cart()));
        row(out, "counter", Integer.toString(s.counter()));
        row(out, "payload", s.payloadBytes() + " bytes");
        row(out, "version", Long.toString(s.version()));
        out.println("</table>");
        form(out, base + "/login", "<input name=\"user\" value=\"ana\" size=\"8\">", "Log in");
        form(out, base + "/cart/items", "<input name=\"item\" value=\"apple\" size=\"8\">", "Add to cart");
        form(out, base + "/counter", "", "Count");
        form(out, base + "/payload", "<input name=\"bytes\" value=\"10240\" size=\"7\">", "Set payload");
        form(out, base + "/logout", "", "Log out");
        out.println("</body></html>");
    }

    private static void form(PrintWriter out, String action, String fields, String button) {
        out.println("<form method=\"post\" action=\"" + html(action) + "\"><input type=\"hidden\" name=\"next\" value=\"/\">"
                + fields + " <button>" + html(button) + "</button></form>");
    }

    private static void row(PrintWriter out, String name, String value) {
        out.println("<tr><td>" + html(name) + "</td><td>" + html(value == null ? "-" : value) + "</td></tr>");
    }

    private static String shorten(String id) {
        int dot = id.indexOf('.');
        String route = dot < 0 ? "" : id.substring(dot);
        String head = dot < 0 ? id : id.substring(0, dot);
        return (head.length() > 8 ? head.substring(0, 8) + "…" : head) + route;
    }

    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
