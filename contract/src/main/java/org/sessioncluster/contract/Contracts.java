package org.sessioncluster.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The one JSON mapper both sides of every contract use: a field left out when it has no value (null), and a
 * field the reader does not know ignored, so a newer writer does not break an older reader.
 */
public final class Contracts {
    public static final ObjectMapper JSON = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Contracts() {}

    /** The document as JSON text. */
    public static String write(Object document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot write " + document.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The document a JSON text holds, or a {@link ContractException} saying which document and why not. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new ContractException("not a " + type.getSimpleName() + " document: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * GETs the URL and reads its answer as the document; empty when nothing answers within the timeout, the answer
     * is not a 200, or it is not that document (the callers poll, and treat all of these as "not there now").
     */
    public static <T> Optional<T> fetch(HttpClient http, String url, Duration timeout, Class<T> type) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(timeout)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(read(r.body(), type)) : Optional.empty();
        } catch (IOException | ContractException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
