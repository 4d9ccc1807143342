package org.sessioncluster.balancer.proxy;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.apache.catalina.connector.ClientAbortException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.sessioncluster.balancer.backend.Backend;
import org.sessioncluster.balancer.policy.Router;

/**
 * Forwards each request to the node the router chooses and streams the answer back. A request that
 * could not be sent (connection refused or timed out) is retried once on another node whatever its
 * method; a GET/HEAD/OPTIONS whose node failed before answering is retried once too. Once the answer
 * has started to flow to the client nothing is retried.
 */
public class ProxyServlet extends HttpServlet {
    private static final Logger LOG = Logger.getLogger(ProxyServlet.class.getName());
    /** Headers that describe one connection, never forwarded (RFC 9110 7.6.1). */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "proxy-connection");

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS");

    private final transient Router router;
    private final transient CloseableHttpClient client;
    private final transient ProxyMetrics metrics;
    private final transient PassiveHealth passiveHealth;
    private final long maxBodyBytes;

    /** Told when a node could not be reached, so it stops getting requests at once. */
    public interface PassiveHealth {
        void unreachable(Backend backend, String why);
    }

    public ProxyServlet(Router router, CloseableHttpClient client, ProxyMetrics metrics, PassiveHealth passiveHealth) {
        this(router, client, metrics, passiveHealth, Long.MAX_VALUE);
    }

    /** @param maxBodyBytes the largest request body forwarded (larger: 413) */
    public ProxyServlet(
            Router router,
            CloseableHttpClient client,
            ProxyMetrics metrics,
            PassiveHealth passiveHealth,
            long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        this.router = router;
        this.client = client;
        this.metrics = metrics;
        this.passiveHealth = passiveHealth;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long start = System.nanoTime();
        try {
            forwardWithRetry(req, resp);
        } finally {
            metrics.recordRequest(System.nanoTime() - start);
        }
    }

    private void forwardWithRetry(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getContentLengthLong() > maxBodyBytes) {
            fail(
                    resp,
                    413,
                    "the request body (" + req.getContentLengthLong() + " bytes) is larger than this balancer takes ("
                            + maxBodyBytes + " bytes, balancer.max.body.bytes)");
            return;
        }
        byte[] chunkedBody = null;
        if (req.getContentLengthLong() < 0 && req.getHeader("Transfer-Encoding") != null) {
            // No length up front: read it here, up to the limit, so the node gets the whole body or nothing
            // (an upload cut off mid-stream would reach the node as a complete, truncated body).
            chunkedBody = req.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (chunkedBody.length > maxBodyBytes) {
                fail(
                        resp,
                        413,
                        "the request body is larger than this balancer takes (" + maxBodyBytes
                                + " bytes, balancer.max.body.bytes)");
                return;
            }
        }
        String route = router.sticky() ? Router.routeOf(sessionId(req)) : null;
        boolean idempotent = IDEMPOTENT.contains(req.getMethod());
        Set<Backend> tried = new HashSet<>(2);
        for (int attempt = 1; attempt <= 2; attempt++) {
            Optional<Backend> chosen = router.choose(route, tried);
            if (chosen.isEmpty()) {
                metrics.recordNoNode();
                fail(resp, 503, "no node is available (none registered, healthy and enabled)");
                return;
            }
            Backend backend = chosen.get();
            tried.add(backend);
            Outcome outcome = forward(req, resp, backend, chunkedBody);
            if (outcome == Outcome.DONE) {
                return;
            }
            boolean retry =
                    attempt == 1 && (outcome == Outcome.NOT_SENT || (outcome == Outcome.NO_ANSWER && idempotent));
            if (!retry) {
                if (!resp.isCommitted()) {
                    fail(
                            resp,
                            outcome == Outcome.TIMED_OUT ? 504 : 502,
                            "the node " + backend.name()
                                    + (outcome == Outcome.TIMED_OUT ? " did not answer in time" : " failed to answer"));
                } else {
                    metrics.recordError();
                }
                return;
            }
            metrics.recordRetry();
        }
    }

    private enum Outcome {
        DONE,
        NOT_SENT,
        NO_ANSWER,
        TIMED_OUT,
        BROKEN_AFTER_ANSWER
    }

    private Outcome forward(HttpServletRequest req, HttpServletResponse resp, Backend backend, byte[] chunkedBody) {
        String target = req.getRequestURI() + (req.getQueryString() == null ? "" : "?" + req.getQueryString());
        BasicClassicHttpRequest out = new BasicClassicHttpRequest(req.getMethod(), backend.host(), target);
        for (String name : Collections.list(req.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower)
                    || lower.equals("host")
                    || lower.equals("content-length")
                    || lower.startsWith("x-forwarded-")) {
                continue;
            }
            for (String value : Collections.list(req.getHeaders(name))) {
                out.addHeader(name, value);
            }
        }
        String priorFor = req.getHeader("X-Forwarded-For");
        out.setHeader("X-Forwarded-For", (priorFor == null ? "" : priorFor + ", ") + req.getRemoteAddr());
        out.setHeader("X-Forwarded-Proto", req.getScheme());
        if (req.getHeader("Host") != null) {
            out.setHeader("X-Forwarded-Host", req.getHeader("Host"));
        }
        long length = req.getContentLengthLong();
        if (length > 0 || req.getHeader("Transfer-Encoding") != null) {
            try {
                out.setEntity(
                        chunkedBody != null
                                ? new org.apache.hc.core5.http.io.entity.ByteArrayEntity(chunkedBody, null)
                                : new InputStreamEntity(req.getInputStream(), length, null));
            } catch (IOException e) {
                return Outcome.NO_ANSWER;
            }
        }

        backend.active().incrementAndGet();
        backend.requests().increment();
        long sent = System.nanoTime();
        boolean answering = false;
        try (ClassicHttpResponse answer = client.executeOpen(backend.host(), out, null)) {
            answering = true;
            resp.setStatus(answer.getCode());
            for (Header h : answer.getHeaders()) {
                if (!HOP_BY_HOP.contains(h.getName().toLowerCase(Locale.ROOT))) {
                    resp.addHeader(h.getName(), h.getValue());
                }
            }
            if (answer.getCode() >= 500) {
                backend.errors().increment();
            }
            HttpEntity entity = answer.getEntity();
            if (entity != null && !"HEAD".equals(req.getMethod())) {
                try (InputStream in = entity.getContent()) {
                    OutputStream to = resp.getOutputStream();
                    in.transferTo(to);
                }
            }
            backend.recordLatency(ProxyMetrics.bucketOf(System.nanoTime() - sent));
            return Outcome.DONE;
        } catch (ClientAbortException e) {
            return Outcome.DONE; // the client went away; nothing to retry, nobody to answer
        } catch (ConnectException | ConnectTimeoutException e) {
            backend.errors().increment();
            passiveHealth.unreachable(backend, e.getClass().getSimpleName() + ": " + e.getMessage());
            return Outcome.NOT_SENT;
        } catch (InterruptedIOException e) {
            backend.errors().increment();
            return answering ? Outcome.BROKEN_AFTER_ANSWER : Outcome.TIMED_OUT;
        } catch (IOException e) {
            backend.errors().increment();
            if (answering) {
                LOG.fine(() -> "answer from " + backend.name() + " broke off: " + e);
                return Outcome.BROKEN_AFTER_ANSWER;
            }
            passiveHealth.unreachable(backend, e.getClass().getSimpleName() + ": " + e.getMessage());
            return Outcome.NO_ANSWER;
        } finally {
            backend.active().decrementAndGet();
        }
    }

    private static String sessionId(HttpServletRequest req) {
        Cookie[] cookies = req.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if ("JSESSIONID".equals(c.getName())) {
                    return c.getValue();
                }
            }
        }
        return null;
    }

    private void fail(HttpServletResponse resp, int status, String message) throws IOException {
        metrics.recordError();
        if (resp.isCommitted()) {
            return;
        }
        resp.reset();
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("X-Served-By", "balancer");
        resp.getWriter().write("{\"error\":\"" + message.replace("\"", "'") + "\"}");
    }
}
