package org.sessioncluster.balancer.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The bearer token that every change through the admin API must carry, compared in constant time. */
final class AdminToken {
    private final byte[] expected;

    AdminToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the admin API needs a token (balancer.admin.token)");
        }
        this.expected = token.trim().getBytes(StandardCharsets.UTF_8);
    }

    /** @param header the request's Authorization header, or null */
    boolean accepts(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given);
    }
}
