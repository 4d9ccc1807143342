package org.sessioncluster.node.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InvalidClassException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.Codec;
import org.redisson.codec.SerializationCodec;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;

/**
 * session.allowed.classes in the redisson mode: the Redisson codec its manager is built with reads only the
 * allowed classes. AtomicLong stands for a foreign class: serializable and on every classpath, so only the
 * allow-list refuses it.
 */
class RedissonManagerFactoryTest {
    private static final Path CONFIG_DIR = Path.of("..", "cluster-config");

    @Test
    void codecOfTheRedissonModeRefusesAForeignClass() throws Exception {
        ClusterConfig config = ClusterConfig.of(
                Map.of(ConfigKeys.SESSION_MODE, "redisson", ConfigKeys.REDIS_ADDRESS, "redis://127.0.0.1:6379"),
                CONFIG_DIR);
        SessionServerManager manager = RedissonManagerFactory.create(config);
        Codec codec = manager.getConfig().getCodec();
        assertThat(codec).isInstanceOf(SerializationCodec.class);
        assertThat(manager.getSessionAttributeValueClassNameFilter())
                .isEqualTo(config.session().allowedClasses());

        ArrayList<String> cart = new ArrayList<>(List.of("apple"));
        assertThat(roundTrip(codec, cart)).isEqualTo(cart);
        assertThat(roundTrip(codec, 12L)).isEqualTo(12L);
        // what Redisson's Tomcat manager does with the configured codec: a copy for the webapp's class loader
        Codec forWebapp = codec.getClass()
                .getConstructor(ClassLoader.class, codec.getClass())
                .newInstance(getClass().getClassLoader(), codec);
        assertThatThrownBy(() -> roundTrip(forWebapp, new AtomicLong(5)))
                .isInstanceOf(InvalidClassException.class)
                .hasMessageContaining("java.util.concurrent.atomic.AtomicLong");
        assertThat(roundTrip(forWebapp, cart)).isEqualTo(cart);
    }

    private static Object roundTrip(Codec codec, Object value) throws IOException {
        ByteBuf buf = codec.getValueEncoder().encode(value);
        try {
            return codec.getValueDecoder().decode(buf, null);
        } finally {
            buf.release();
        }
    }
}
