package org.sessioncluster.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

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
}
