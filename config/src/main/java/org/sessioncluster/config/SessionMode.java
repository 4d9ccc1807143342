package org.sessioncluster.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How HTTP sessions survive across nodes. */
public enum SessionMode {
    /** Tomcat's StandardManager: a session lives and dies with the node that created it. */
    LOCAL,
    /** Tomcat's DeltaManager: every change is sent to every other node (all-to-all). */
    DELTA,
    /** Tomcat's BackupManager: every change is sent to one backup node. */
    BACKUP,
    /** This project's lean Redis session manager: sessions live in a Redis session server. */
    REDIS,
    /** Redisson's stock Tomcat manager over the same Redis: the reference point for {@link #REDIS}. */
    REDISSON,
    /**
     * Spring Session Data Redis (its RedisSessionRepository under a SessionRepositoryFilter) put around the
     * WAR by the node: what most Java users would pick, measured beside {@link #REDIS}.
     */
    SPRING_SESSION,
    /** Tomcat's PersistentManager with a FileStore shared by all nodes, loaded and saved on every request. */
    DISK;

    /** The spelling used in config files and on the command line. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** True for the modes that form a Tomcat (Tribes) cluster between the nodes. */
    public boolean usesTribes() {
        return this == DELTA || this == BACKUP;
    }

    /** True for the modes that keep sessions in Redis. */
    public boolean usesRedis() {
        return this == REDIS || this == REDISSON || this == SPRING_SESSION;
    }

    public static String allowedValues() {
        return Arrays.stream(values()).map(SessionMode::configName).collect(Collectors.joining(", "));
    }

    /** Parses a config spelling; null when it is not one of {@link #allowedValues()}. */
    public static SessionMode parse(String value) {
        for (SessionMode mode : values()) {
            if (mode.configName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        return null;
    }
}
