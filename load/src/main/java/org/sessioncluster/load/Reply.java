package org.sessioncluster.load;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One answer as the virtual user saw it.
 *
 * @param status   HTTP status, or -1 when there was no answer
 * @param servedBy the node that answered (X-Served-By), or null
 * @param version  the app version that answered (X-App-Version), or null
 * @param body     the JSON body, or null
 * @param nanos    time from sending to the full answer
 * @param failure  why there was no answer, or null
 */
public record Reply(int status, String servedBy, String version, JsonNode body, long nanos, String failure) {

    boolean answered() {
        return status >= 200 && status < 300 && body != null;
    }

    String text(String field) {
        JsonNode n = body == null ? null : body.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    long number(String field) {
        JsonNode n = body == null ? null : body.get(field);
        return n == null ? -1 : n.asLong();
    }

    int cartSize() {
        JsonNode n = body == null ? null : body.get("cart");
        return n == null ? -1 : n.size();
    }
}
