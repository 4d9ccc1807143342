package org.sessioncluster.node.redis;

import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.catalina.Manager;
import org.apache.catalina.session.StandardSession;

/**
 * A Tomcat session whose attributes come from a Redis hash: each is deserialized only when the request
 * reads it, and the session remembers which attributes the request set or removed, so a save writes only
 * those. {@link #version} is the stored version this copy was loaded at ("" for a session not saved yet).
 * Expiry is Redis's: this copy never expires itself by idle time (see {@link #isValid()}).
 */
final class RedisSession extends StandardSession {
    private static final long serialVersionUID = 1L;

    private final transient Map<String, byte[]> stored = new ConcurrentHashMap<>();
    private final transient Set<String> changed = ConcurrentHashMap.newKeySet();
    private final transient Set<String> removed = ConcurrentHashMap.newKeySet();
    private transient volatile boolean metaChanged;
    transient volatile String version = "";
    /** When this node last pushed the session's expiry back in Redis (ms). */
    transient volatile long touchedAt;
    /** Set while the session is expired because Redis said so: nothing is to be deleted in Redis then. */
    transient volatile boolean expiredInRedis;

    RedisSession(Manager manager) {
        super(manager);
    }

    /** Fills this copy from a stored hash: times, the version, and the attributes as bytes (read lazily). */
    void restore(
            String sessionId,
            String storedVersion,
            long created,
            long lastAccessed,
            int maxInactive,
            Map<String, byte[]> attributeBytes) {
        this.id = sessionId;
        this.creationTime = created;
        this.lastAccessedTime = lastAccessed;
        this.thisAccessedTime = lastAccessed;
        this.maxInactiveInterval = maxInactive;
        this.isNew = false;
        this.isValid = true;
        this.version = storedVersion;
        this.touchedAt = lastAccessed;
        attributes.clear();
        stored.clear();
        stored.putAll(attributeBytes);
        clearChanges();
    }

    boolean isDirty() {
        return metaChanged || !changed.isEmpty() || !removed.isEmpty();
    }

    /** The attributes set since the last save, as their current values. */
    Map<String, Object> changedValues() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : changed) {
            Object value = attributes.get(name);
            if (value != null) {
                out.put(name, value);
            }
        }
        return out;
    }

    List<String> removedNames() {
        return List.copyOf(removed);
    }

    void clearChanges() {
        changed.clear();
        removed.clear();
        metaChanged = false;
    }

    /** Marks every attribute as changed: a session saved whole (a new one, or one renamed before it was stored). */
    void markAllChanged() {
        materializeAll();
        changed.addAll(attributes.keySet());
        metaChanged = true;
    }

    @Override
    public boolean isValid() {
        // Redis's TTL decides when a session expires; a copy here must not expire itself (and tell the
        // listeners) on an idle time it cannot see: other nodes may have served the session since.
        return this.isValid;
    }

    @Override
    public void setMaxInactiveInterval(int interval) {
        super.setMaxInactiveInterval(interval);
        metaChanged = true;
    }

    @Override
    public Object getAttribute(String name) {
        materialize(name);
        return super.getAttribute(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        materializeAll();
        return super.getAttributeNames();
    }

    @Override
    protected String[] keys() {
        materializeAll();
        return super.keys();
    }

    @Override
    public void setAttribute(String name, Object value, boolean notify) {
        materialize(name); // the old value's unbinding listener must see it
        super.setAttribute(name, value, notify);
        if (value != null) {
            changed.add(name);
            removed.remove(name);
        }
    }

    @Override
    public void removeAttribute(String name, boolean notify) {
        boolean wasStored = stored.containsKey(name) || attributes.containsKey(name);
        materialize(name);
        super.removeAttribute(name, notify);
        changed.remove(name);
        if (wasStored) {
            removed.add(name);
        }
    }

    @Override
    public void expire(boolean notify) {
        try {
            materializeAll(); // unbinding listeners get their values
        } catch (RuntimeException e) {
            // a value that cannot be read cannot be told it is unbound; the session still goes
        }
        super.expire(notify);
        if (!expiredInRedis && manager instanceof RedisSessionManager m) {
            m.invalidated(this);
        }
    }

    private void materialize(String name) {
        byte[] bytes = stored.get(name);
        if (bytes == null) {
            return;
        }
        synchronized (stored) {
            bytes = stored.get(name);
            if (bytes != null) {
                RedisSessionManager m = (RedisSessionManager) manager;
                try {
                    attributes.put(name, m.deserialize(id, name, bytes));
                } catch (SessionFormatException e) {
                    m.forgetCopy(id, this); // a copy that cannot be read is not served again
                    throw e;
                }
                stored.remove(name);
            }
        }
    }

    private void materializeAll() {
        for (String name : List.copyOf(stored.keySet())) {
            materialize(name);
        }
    }
}
