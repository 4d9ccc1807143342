package org.sessioncluster.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The app's JSON: nested values in order, and text that cannot break out of a string or into a page. */
class JsonTest {
    @Test
    void valuesNestInTheOrderTheyWerePut() {
        Map<String, Object> doc = Json.object();
        doc.put("node", "node-1");
        doc.put("exists", true);
        doc.put("cart", List.of("apple", "pear"));
        doc.put("counter", 3);
        doc.put("user", null);
        doc.put("inner", Map.of("a", 1));
        assertThat(Json.write(doc))
                .isEqualTo("{\"node\":\"node-1\",\"exists\":true,\"cart\":[\"apple\",\"pear\"],\"counter\":3,"
                        + "\"user\":null,\"inner\":{\"a\":1}}");
        assertThat(Json.write(Arrays.asList(1.5, null, false))).isEqualTo("[1.5,null,false]");
    }

    @Test
    void quotesBackslashesControlCharactersAndMarkupAreEscaped() {
        assertThat(Json.write("a\"b\\c\nd\te\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\"");
        assertThat(Json.write("</script><b>&"))
                .as("nothing a browser could read as markup")
                .isEqualTo("\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\"")
                .doesNotContain("<", ">", "&");
    }
}
