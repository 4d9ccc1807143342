package org.sessioncluster.node.redis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.catalina.util.CustomObjectInputStream;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;

/**
 * A session's hash in Redis and back. Times and the version are decimal text ({@code v}, {@code ct},
 * {@code la}, {@code mi}: readable with redis-cli, 13 bytes for a time instead of the 82 of a serialized
 * Long); each attribute is one field {@code a:<name>} holding its Java serialization, read back only with
 * classes the allow-list ({@code sessionAttributeValueClassNameFilter}) accepts.
 */
final class RedisSessionMapper {
    static final String VERSION = "v";
    static final String CREATED = "ct";
    static final String LAST_ACCESSED = "la";
    static final String MAX_INACTIVE = "mi";
    static final String ATTRIBUTE = "a:";
    private static final Log LOG = LogFactory.getLog(RedisSessionMapper.class);

    private RedisSessionMapper() {}

    /** Fills {@code session} from a stored hash; a hash that is not a session of this format is refused. */
    static void restore(RedisSession session, String id, String version, Map<String, byte[]> fields) {
        Map<String, byte[]> attributes = new HashMap<>();
        fields.forEach((name, value) -> {
            if (name.startsWith(ATTRIBUTE)) {
                attributes.put(name.substring(ATTRIBUTE.length()), value);
            }
        });
        session.restore(
                id,
                version,
                number(fields, CREATED, id),
                number(fields, LAST_ACCESSED, id),
                (int) number(fields, MAX_INACTIVE, id),
                attributes);
    }

    static Map<String, byte[]> serialize(Map<String, Object> values, String id) {
        Map<String, byte[]> out = new HashMap<>();
        values.forEach((name, value) -> out.put(ATTRIBUTE + name, serialize(value, id, name)));
        return out;
    }

    static byte[] serialize(Object value, String id, String name) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "session attribute '" + name + "' (" + value.getClass().getName() + ") cannot be serialized: " + e,
                    e);
        }
        return bytes.toByteArray();
    }

    static Object deserialize(byte[] bytes, ClassLoader loader, Pattern allowed, boolean warn, String id, String name) {
        try (ObjectInputStream in =
                new CustomObjectInputStream(new ByteArrayInputStream(bytes), loader, LOG, allowed, warn)) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new SessionFormatException(
                    "session " + shortId(id) + ": attribute '" + name + "' cannot be read (" + e + ")", e);
        }
    }

    /** The first characters of a session id: enough to find it in a log, not enough to use it. */
    static String shortId(String id) {
        return id == null || id.length() <= 8 ? String.valueOf(id) : id.substring(0, 8) + "…";
    }

    private static long number(Map<String, byte[]> fields, String name, String id) {
        byte[] value = fields.get(name);
        if (value == null) {
            throw new SessionFormatException(
                    "session " + shortId(id) + " in Redis has no field '" + name + "': not a session of this format");
        }
        try {
            return Long.parseLong(new String(value, StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            throw new SessionFormatException(
                    "session " + shortId(id) + " in Redis has a field '" + name + "' that is not a number", e);
        }
    }
}
