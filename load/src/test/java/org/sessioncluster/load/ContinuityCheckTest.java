package org.sessioncluster.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The classification of answers: the rules a load run's miss and stale counts rest on. */
class ContinuityCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Reply reply(int status, String json) throws Exception {
        return new Reply(status, "node-1", "1.0", json == null ? null : JSON.readTree(json), 1000, null);
    }

    @Test
    void currentSessionIsOk() throws Exception {
        assertThat(ContinuityCheck.classify(
                        reply(200, "{\"user\":\"ana\",\"version\":3,\"cart\":[\"a\",\"b\"]}"), "ana", 3, 2))
                .isEqualTo(Outcome.OK);
    }

    @Test
    void goneUserOrNewSessionIsAMiss() throws Exception {
        assertThat(ContinuityCheck.classify(reply(200, "{\"user\":null,\"version\":1,\"cart\":[\"a\"]}"), "ana", 3, 2))
                .isEqualTo(Outcome.SESSION_MISS);
        assertThat(ContinuityCheck.classify(reply(200, "{\"user\":\"bob\",\"version\":9,\"cart\":[]}"), "ana", 3, 0))
                .isEqualTo(Outcome.SESSION_MISS);
    }

    @Test
    void olderVersionOrShorterCartIsStale() throws Exception {
        assertThat(ContinuityCheck.classify(
                        reply(200, "{\"user\":\"ana\",\"version\":2,\"cart\":[\"a\",\"b\"]}"), "ana", 3, 2))
                .isEqualTo(Outcome.STALE);
        assertThat(ContinuityCheck.classify(
                        reply(200, "{\"user\":\"ana\",\"version\":3,\"cart\":[\"a\"]}"), "ana", 3, 2))
                .isEqualTo(Outcome.STALE);
    }

    @Test
    void httpErrorsAndNoAnswerAreErrors() throws Exception {
        assertThat(ContinuityCheck.classify(reply(502, "{\"error\":\"x\"}"), "ana", 1, 0))
                .isEqualTo(Outcome.ERROR);
        assertThat(ContinuityCheck.classify(new Reply(-1, null, null, null, 5, "refused"), "ana", 1, 0))
                .isEqualTo(Outcome.ERROR);
    }
}
