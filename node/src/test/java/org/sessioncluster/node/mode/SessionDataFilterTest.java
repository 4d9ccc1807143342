package org.sessioncluster.node.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.catalina.tribes.io.ReplicationStream;
import org.junit.jupiter.api.Test;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;

/**
 * session.allowed.classes on the two paths session data is read: Tomcat's replication stream (delta, backup,
 * with the filter the node installs JVM-wide) (the Redisson codec of the redisson mode: RedissonManagerFactoryTest).
 * AtomicLong stands for a foreign class: serializable and on every classpath, so only the filter refuses it.
 */
class SessionDataFilterTest {
    private static final Path CONFIG_DIR = Path.of("..", "cluster-config");

    private final SessionDataFilter filter = SessionDataFilter.of(ClusterConfig.of(Map.of(), CONFIG_DIR));

    @Test
    void replicationStreamReadsAllowedDataAndRefusesAForeignClassBeforeBuildingIt() throws Exception {
        HashMap<String, Object> allowed = new HashMap<>(Map.of(
                "cart",
                new ArrayList<>(List.of("apple", "pear")),
                "version",
                7L,
                "payload",
                new byte[] {1, 2, 3},
                "names",
                new String[] {"a"}));
        assertThat(readWithFilter(serialize(allowed)))
                .usingRecursiveComparison()
                .isEqualTo(allowed);

        assertThatThrownBy(() -> readWithFilter(serialize(new AtomicLong(42))))
                .isInstanceOf(InvalidClassException.class)
                .hasMessageContaining("REJECTED");
        // hidden inside allowed containers, it is refused all the same
        assertThatThrownBy(() -> readWithFilter(serialize(new ArrayList<>(List.of("x", new AtomicLong(1))))))
                .isInstanceOf(InvalidClassException.class);
        assertThatThrownBy(() -> readWithFilter(serialize(new Object[] {"x", new AtomicLong(1)})))
                .isInstanceOf(InvalidClassException.class);
        assertThatThrownBy(() -> readWithFilter(serialize(new AtomicLong[] {new AtomicLong(1)})))
                .isInstanceOf(InvalidClassException.class);
    }

    @Test
    void anOwnPatternReplacesTheBuiltInList() throws Exception {
        SessionDataFilter own = SessionDataFilter.of(ClusterConfig.of(
                Map.of(
                        ConfigKeys.SESSION_ALLOWED_CLASSES,
                        "java\\.lang\\.(Long|Number)|java\\.util\\.concurrent\\.atomic\\.AtomicLong"),
                CONFIG_DIR));
        assertThat(own.allowsSessionData("java.util.concurrent.atomic.AtomicLong"))
                .isTrue();
        assertThat(own.allowsSessionData("java.util.ArrayList")).isFalse();
        assertThat(filter.allowsSessionData("org.sessioncluster.webapp.ShopSession"))
                .isTrue();
        assertThat(filter.allowsSessionData("[Lorg.sessioncluster.webapp.ShopSession;"))
                .isTrue();
        assertThat(filter.allowsSessionData("[[J")).isTrue();
        assertThat(filter.allowsSessionData("org.sessioncluster.webapp2.Evil")).isFalse();
    }

    private Object readWithFilter(byte[] data) throws Exception {
        try (ReplicationStream in = new ReplicationStream(
                new java.io.ByteArrayInputStream(data),
                new ClassLoader[] {getClass().getClassLoader()})) {
            in.setObjectInputFilter(filter); // the node sets it JVM-wide; here only on this stream
            return in.readObject();
        }
    }

    private static byte[] serialize(Serializable value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }
}
