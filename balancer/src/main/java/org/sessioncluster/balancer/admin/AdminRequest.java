package org.sessioncluster.balancer.admin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One admin request, read whole (admin bodies are small forms).
 *
 * @param authorization the Authorization header, or null
 */
record AdminRequest(String method, String path, String rawQuery, String authorization, byte[] body) {
    Map<String, String> query() {
        return decode(rawQuery);
    }

    Map<String, String> form() {
        return decode(new String(body, StandardCharsets.UTF_8));
    }

    private static Map<String, String> decode(String encoded) {
        Map<String, String> map = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return map;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                map.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return map;
    }
}
