package org.sessioncluster.balancer.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.sessioncluster.contract.Contracts;

/** What the admin side answers: a status, a content type and a body. */
record AdminAnswer(int status, String type, byte[] body) {
    private static final ObjectMapper JSON = Contracts.JSON;

    static AdminAnswer json(int status, Object value) {
        try {
            return new AdminAnswer(status, "application/json", JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    static AdminAnswer error(int status, String message) {
        return json(status, JSON.createObjectNode().put("error", message));
    }

    static AdminAnswer text(int status, String type, String body) {
        return new AdminAnswer(status, type, body.getBytes(StandardCharsets.UTF_8));
    }
}
