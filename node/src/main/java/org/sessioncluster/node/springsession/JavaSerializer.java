package org.sessioncluster.node.springsession;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;

/**
 * Java serialization of session values, read with the classes of the webapp that runs the request (the
 * thread's context class loader): the WAR's classes are not on the node's class path, so Spring's
 * JdkSerializationRedisSerializer, which uses a fixed loader, could not read them back. The node's
 * JVM-wide filter ({@code session.allowed.classes}) still decides which classes may be built.
 */
final class JavaSerializer implements RedisSerializer<Object> {
    @Override
    public byte[] serialize(Object value) {
        if (value == null) {
            return new byte[0];
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new SerializationException(
                    "cannot serialize a " + value.getClass().getName(), e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object deserialize(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (ObjectInputStream in = new LoaderInputStream(new ByteArrayInputStream(bytes), loader)) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new SerializationException("cannot read a session value: " + e, e);
        }
    }

    private static final class LoaderInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (loader == null) {
                return super.resolveClass(desc);
            }
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc); // primitives and the JDK's own
            }
        }
    }
}
