package org.sessioncluster.balancer.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Map;

/**
 * The edits a request and an answer get on their way through, made in place on the decoded headers: headers
 * that describe one connection go (RFC 9110 7.6.1), the X-Forwarded-* a client sent are replaced by the
 * balancer's own, and the session cookie is read only when the policy routes by it.
 */
final class ForwardedRequest {
    /** Hop-by-hop headers of a request (Transfer-Encoding stays where the body is streamed: it frames it). */
    private static final List<AsciiString> HOP_BY_HOP = List.of(
            HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION,
            HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER,
            HttpHeaderNames.UPGRADE,
            AsciiString.cached("proxy-connection"),
            AsciiString.cached("http2-settings")); // sent with an Upgrade: h2c the balancer did not take

    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final String SESSION_COOKIE = "JSESSIONID=";

    private ForwardedRequest() {}

    /**
     * Removes the connection's own headers and what the client claimed about forwarding; adds ours. A WebSocket
     * handshake keeps its Upgrade (the node must see it to switch).
     */
    static void edit(HttpRequest request, String clientIp, boolean https) {
        HttpHeaders h = request.headers();
        String priorFor = h.get(X_FORWARDED_FOR);
        boolean webSocket = isWebSocketUpgrade(h);
        stripHopByHop(h);
        if (webSocket) {
            h.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        }
        List<CharSequence> claimed = null; // what the client says about forwarding is not ours to pass on
        for (Map.Entry<CharSequence, CharSequence> e :
                (Iterable<Map.Entry<CharSequence, CharSequence>>) h::iteratorCharSequence) {
            CharSequence name = e.getKey();
            if (name.length() > 12 && AsciiString.regionMatches(name, true, 0, "x-forwarded-", 0, 12)) {
                claimed = claimed == null ? new java.util.ArrayList<>(2) : claimed;
                claimed.add(name);
            }
        }
        if (claimed != null) {
            claimed.forEach(h::remove);
        }
        h.set(X_FORWARDED_FOR, priorFor == null ? clientIp : priorFor + ", " + clientIp);
        h.set(X_FORWARDED_PROTO, https ? "https" : "http");
        String host = h.get(HttpHeaderNames.HOST);
        if (host != null) {
            h.set(X_FORWARDED_HOST, host);
        }
    }

    /** Removes the hop-by-hop headers (Transfer-Encoding and Content-Length stay: they frame the body). */
    static void stripHopByHop(HttpHeaders h) {
        for (AsciiString name : HOP_BY_HOP) {
            h.remove(name);
        }
    }

    /** Netty's stream codec notes HTTP/2 details (x-http2-*) as headers: they are not the node's to see. */
    static void removeHttp2Extensions(HttpHeaders h) {
        for (io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames n :
                io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames.values()) {
            h.remove(n.text());
        }
    }

    /** A WebSocket handshake: {@code Upgrade: websocket} with {@code Connection: upgrade}. */
    static boolean isWebSocketUpgrade(HttpHeaders h) {
        return h.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** The JSESSIONID cookie's value, or null; reads the Cookie headers without parsing every cookie. */
    static String sessionId(HttpHeaders h) {
        for (String cookies : h.getAll(HttpHeaderNames.COOKIE)) {
            int at = 0;
            while ((at = cookies.indexOf(SESSION_COOKIE, at)) >= 0) {
                boolean starts = at == 0 || cookies.charAt(at - 1) == ' ' || cookies.charAt(at - 1) == ';';
                at += SESSION_COOKIE.length();
                if (starts) {
                    int end = cookies.indexOf(';', at);
                    String value = (end < 0 ? cookies.substring(at) : cookies.substring(at, end)).trim();
                    return value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")
                            ? value.substring(1, value.length() - 1)
                            : value;
                }
            }
        }
        return null;
    }
}
