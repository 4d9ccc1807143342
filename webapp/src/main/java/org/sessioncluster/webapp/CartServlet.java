package org.sessioncluster.webapp;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code GET /cart} lists the cart; {@code POST /cart/items} (parameter {@code item}) adds to it;
 * {@code DELETE /cart} (checkout) empties it.
 */
@WebServlet({"/cart", "/cart/items"})
public class CartServlet extends HttpServlet {
    private static final Pattern ITEM = Pattern.compile("[\\p{L}\\p{N} ._-]{1,64}");
    private static final int MAX_ITEMS = 1000;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        SessionState state = SessionState.of(req.getSession(false));
        resp.setHeader(Responses.VERSION_HEADER, Long.toString(state.version()));
        resp.setHeader(Responses.DIGEST_HEADER, state.digest());
        Map<String, Object> json = Json.object();
        json.put("node", NodeIdentity.name());
        json.put("user", state.user());
        json.put("cart", state.cart());
        json.put("version", state.version());
        Responses.json(resp, 200, json);
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"/cart".equals(req.getServletPath())) {
            Responses.error(resp, 405, "DELETE /cart empties the cart");
            return;
        }
        HttpSession session = req.getSession(false);
        if (session == null) {
            Responses.state(req, resp, SessionState.NONE);
            return;
        }
        SessionState.update(session, ShopSession::withEmptyCart);
        Responses.state(req, resp, SessionState.of(session));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"/cart/items".equals(req.getServletPath())) {
            Responses.error(resp, 405, "POST items to /cart/items");
            return;
        }
        String item = Responses.parameter(req, resp, "item", ITEM, "1 to 64 letters, digits, spaces or . _ -");
        if (item == null) {
            return;
        }
        HttpSession session = req.getSession(true);
        if (SessionState.of(session).cart().size() >= MAX_ITEMS) {
            Responses.error(resp, 413, "the cart holds at most " + MAX_ITEMS + " items");
            return;
        }
        SessionState.update(session, shop -> shop.withItem(item));
        Responses.state(req, resp, SessionState.of(session));
    }
}
