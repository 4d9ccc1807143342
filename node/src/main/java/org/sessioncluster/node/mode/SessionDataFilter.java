package org.sessioncluster.node.mode;

import java.io.ObjectInputFilter;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.sessioncluster.config.ClusterConfig;

/**
 * Which classes Java deserialization may build on a node: the classes session data may hold
 * ({@code session.allowed.classes}) and Tomcat's own cluster messages. Anything else in replicated,
 * stored or Redis session data is refused before an object of it is made, so a peer, a shared folder or a
 * Redis that someone else can write cannot make this node run the code of arbitrary classes.
 */
public final class SessionDataFilter implements ObjectInputFilter {
    private static final Logger LOG = Logger.getLogger(SessionDataFilter.class.getName());
    /**
     * The envelopes session data travels in: Tribes and Tomcat's cluster classes (delta, backup) and the
     * session class they extend, the session events Redisson's Tomcat manager publishes (redis), and
     * java.lang.Enum, which every enum's stream names as its superclass.
     */
    private static final Pattern ENVELOPES = Pattern.compile(
            "org\\.apache\\.catalina\\.(?:ha|tribes)\\..*"
                    + "|org\\.apache\\.catalina\\.session\\.StandardSession|org\\.redisson\\.tomcat\\.\\w+Message|java\\.lang\\.Enum");

    private final Pattern allowed;

    public SessionDataFilter(String allowedClasses) {
        this.allowed = Pattern.compile(allowedClasses);
    }

    public static SessionDataFilter of(ClusterConfig config) {
        return new SessionDataFilter(config.session().allowedClasses());
    }

    /** True for a class session data may hold. */
    public boolean allows(String className) {
        return allowed.matcher(className).matches();
    }

    @Override
    public Status checkInput(FilterInfo info) {
        Class<?> c = info.serialClass();
        if (c == null) {
            return Status.UNDECIDED; // a depth, size or reference check: the JVM's limits apply
        }
        String name = c.getName();
        if (allowsSessionData(name) || ENVELOPES.matcher(elementType(name)).matches()) {
            return Status.ALLOWED;
        }
        LOG.warning(() -> "refused to deserialize " + name + ": not in session.allowed.classes");
        return Status.REJECTED;
    }

    /**
     * Makes this the filter of every Java deserialization in this JVM (Tomcat's replication streams, the
     * backup map's messages, the disk store, Redisson's codec). A filter given by {@code -Djdk.serialFilter}
     * is left in place: the operator chose it.
     */
    public void installJvmWide() {
        if (ObjectInputFilter.Config.getSerialFilter() != null) {
            LOG.info("a JVM-wide deserialization filter is already set (jdk.serialFilter); session.allowed.classes"
                    + " still applies to Tomcat's session attributes and the Redis codec");
            return;
        }
        ObjectInputFilter.Config.setSerialFilter(this);
    }

    /**
     * The allow-list as the set Redisson's {@code SerializationCodec} asks {@code contains} of for every class it
     * reads: a set that answers by the pattern (it cannot be listed).
     */
    public java.util.Set<String> asClassNameSet() {
        return new AbstractSet<>() {
            @Override
            public boolean contains(Object o) {
                return o instanceof String name
                        && (allowsSessionData(name)
                                || ENVELOPES.matcher(elementType(name)).matches());
            }

            @Override
            public Iterator<String> iterator() {
                return Collections.emptyIterator();
            }

            @Override
            public int size() {
                return 0;
            }
        };
    }

    /**
     * True for a class session data may hold. An array is judged by its element type, each element being
     * checked again when it is read; so Object[] (Tomcat writes session fields through one) and primitive
     * arrays pass.
     */
    boolean allowsSessionData(String className) {
        String element = elementType(className);
        return element.length() == 1 || element.equals("java.lang.Object") || allows(element);
    }

    /** "[[Lfoo.Bar;" gives "foo.Bar", "[B" gives "B", a class name gives itself. */
    private static String elementType(String className) {
        int dims = 0;
        while (dims < className.length() && className.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return className;
        }
        String rest = className.substring(dims);
        return rest.startsWith("L") && rest.endsWith(";") ? rest.substring(1, rest.length() - 1) : rest;
    }
}
