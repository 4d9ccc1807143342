package org.sessioncluster.node.springsession;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import java.time.Duration;
import java.util.EnumSet;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigException;
import org.sessioncluster.node.mode.SessionStoreDownValve;
import org.sessioncluster.node.redis.RedisConnectProblem;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.StringRedisSerializer;
import org.springframework.session.FlushMode;
import org.springframework.session.SaveMode;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.web.http.CookieHttpSessionIdResolver;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * Puts Spring Session in front of the webapp: a filter mapped before every filter of the WAR replaces the
 * container's sessions with Spring Session's, kept in Redis. Spring Session's defaults are kept (a save at
 * the end of the request, before the response is committed, of the attributes the request set, plus the
 * access time), so what is measured is the library as a Spring user gets it; only the cookie is the one the
 * balancer and the tools already know (JSESSIONID with the node's route).
 */
public final class SpringSessionInstaller {
    private static final Logger LOG = Logger.getLogger(SpringSessionInstaller.class.getName());
    /** Where Spring Session's keys live: {@code <namespace>:sessions:<id>}. */
    public static final String NAMESPACE = "sessioncluster:spring-session";

    private static final java.util.Map<Context, String> PROBLEMS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private SpringSessionInstaller() {}

    /** Why Spring Session could not reach Redis when {@code webapp} started, in words; empty when it could. */
    public static java.util.Optional<String> startProblem(Context webapp) {
        return java.util.Optional.ofNullable(PROBLEMS.get(webapp));
    }

    public static void install(ClusterConfig config, String nodeName, Context webapp) {
        if (config.redis().address().isEmpty()
                && config.redis().sentinels().isEmpty()
                && config.redis().clusterNodes().isEmpty()) {
            throw new ConfigException("session.mode = spring-session needs redis.address (redis://host:port),"
                    + " redis.sentinels or redis.cluster.nodes; sessionctl fills them in when it starts an"
                    + " embedded Redis");
        }
        LettuceConnectionFactory connections = SpringRedisConnection.factory(config);
        RedisTemplate<String, Object> redis = new RedisTemplate<>();
        redis.setConnectionFactory(connections);
        redis.setKeySerializer(StringRedisSerializer.UTF_8);
        redis.setHashKeySerializer(StringRedisSerializer.UTF_8);
        redis.setValueSerializer(new JavaSerializer());
        redis.setHashValueSerializer(new JavaSerializer());
        redis.afterPropertiesSet();

        RedisSessionRepository repository = new RedisSessionRepository(redis);
        repository.setRedisKeyNamespace(NAMESPACE);
        repository.setDefaultMaxInactiveInterval(
                Duration.ofMinutes(config.session().timeoutMinutes()));
        repository.setFlushMode(FlushMode.ON_SAVE);
        repository.setSaveMode(SaveMode.ON_SET_ATTRIBUTE);

        SessionRepositoryFilter<?> filter = new SessionRepositoryFilter<>(repository);
        CookieHttpSessionIdResolver ids = new CookieHttpSessionIdResolver();
        ids.setCookieSerializer(new RoutedCookieSerializer(nodeName));
        filter.setHttpSessionIdResolver(ids);

        String where = SpringRedisConnection.describe(config);
        webapp.addServletContainerInitializer(
                (classes, servletContext) -> {
                    FilterRegistration.Dynamic registration =
                            servletContext.addFilter("springSessionRepositoryFilter", filter);
                    // before the WAR's own filters (isMatchAfter = false), for every kind of dispatch
                    registration.addMappingForUrlPatterns(
                            EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR, DispatcherType.ASYNC),
                            false,
                            "/*");
                },
                null);
        webapp.addLifecycleListener(event -> {
            if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                connections.start();
                // Lettuce connects on first use: ask now, so a wrong password or an unreachable Redis stops
                // the node at start with one clear line (as in the redis mode), not with 503s later
                try (var c = connections.getConnection()) {
                    c.ping();
                } catch (RuntimeException e) {
                    String why = RedisConnectProblem.describe(
                            e, where, !config.redis().password().isEmpty());
                    LOG.severe(why);
                    PROBLEMS.put(webapp, why);
                    connections.destroy();
                    throw new IllegalStateException(why, e);
                }
                LOG.info(() -> "spring-session: sessions in Redis at " + where + " (keys " + NAMESPACE
                        + ":sessions:<id>, Lettuce)");
            } else if (Lifecycle.AFTER_STOP_EVENT.equals(event.getType())) {
                connections.destroy();
            }
        });
        // a Redis that does not answer: 503 with Retry-After, as in the other Redis modes
        webapp.getPipeline().addValve(new SessionStoreDownValve(where));
    }
}
