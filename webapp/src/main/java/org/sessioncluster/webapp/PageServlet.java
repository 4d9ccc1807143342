package org.sessioncluster.webapp;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code GET /}: one small page for people — who served this click (in a colour per node), the app's
 * version, what the session holds, buttons. Everything is inline: no CDN, it works offline.
 */
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
        String node = NodeIdentity.name();
        out.println("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>session-cluster: "
                + html(node) + "</title><link rel=\"icon\" href=\"data:,\">");
        out.println("<style>body{font-family:sans-serif;max-width:44em;margin:2em auto;color:#222}"
                + "td{padding:.25em 1em .25em 0}#served{display:flex;align-items:center;gap:1em;padding:.8em 1em;"
                + "border-radius:10px;color:#fff;background:hsl(" + hue(node) + ",55%,40%)}"
                + "#served-by{font-size:1.8em;font-weight:bold}#served small{opacity:.85}"
                + "form{display:inline-block;margin:.3em .5em .3em 0}button{padding:.3em .8em}</style></head><body>");
        out.println("<div id=\"served\"><span>this click was served by</span><span id=\"served-by\">" + html(node)
                + "</span><small>app version <span id=\"app-version\">" + html(AppVersion.get())
                + "</span></small></div>");
        out.println("<table id=\"session\">");
        row(out, "session", "session-id", s.exists() ? shorten(s.id()) : "none");
        row(out, "created by", "created-by", s.createdBy());
        row(out, "user", "user", s.user() == null ? "not logged in" : s.user());
        row(out, "cart", "cart", s.cart().isEmpty() ? "empty" : String.join(", ", s.cart()));
        row(out, "counter", "counter", Integer.toString(s.counter()));
        row(out, "payload", "payload", s.payloadBytes() + " bytes");
        row(out, "version", "version", Long.toString(s.version()));
        out.println("</table>");
        form(out, base + "/login", "<input name=\"user\" value=\"ana\" size=\"8\">", "Log in");
        form(out, base + "/cart/items", "<input name=\"item\" value=\"apple\" size=\"8\">", "Add to cart");
        form(out, base + "/counter", "", "Count");
        form(out, base + "/payload", "<input name=\"bytes\" value=\"10240\" size=\"7\">", "Grow session (bytes)");
        form(out, base + "/logout", "", "Log out");
        out.println("</body></html>");
    }

    private static void form(PrintWriter out, String action, String fields, String button) {
        out.println("<form method=\"post\" action=\"" + html(action)
                + "\"><input type=\"hidden\" name=\"next\" value=\"/\">" + fields + " <button>" + html(button)
                + "</button></form>");
    }

    private static void row(PrintWriter out, String name, String id, String value) {
        out.println("<tr><td>" + html(name) + "</td><td id=\"" + id + "\">" + html(value == null ? "-" : value)
                + "</td></tr>");
    }

    /** A colour per node name, so a click that lands on another node is seen at a glance. */
    private static int hue(String node) {
        return Math.floorMod(node.hashCode() * 47, 360);
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
