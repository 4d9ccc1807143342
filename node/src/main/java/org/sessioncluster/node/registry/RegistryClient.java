package org.sessioncluster.node.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Keeps this node registered: {@code POST /registry/<name>} once, {@code PUT} every renew interval (and
 * register again when the registry answers 404, i.e. it evicted or forgot us), {@code DELETE} on stop.
 * A registry that is down is retried at the next renewal; the node keeps serving meanwhile. At start (when the
 * balancer may still be booting beside the node) a failed first registration is tried again every
 * {@value #FIRST_RETRY_MILLIS} ms for {@value #FAST_RETRY_WINDOW_MILLIS} ms, then once per renew interval: a
 * registry that is down, or refuses the node's token, is not asked ten times a second for as long as the node runs.
 */
public final class RegistryClient implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RegistryClient.class.getName());
    static final long FIRST_RETRY_MILLIS = 100;
    static final long FAST_RETRY_WINDOW_MILLIS = 10_000;

    private final String registryUrl;
    private final String name;
    private final String nodeUrl;
    private final String token;
    private final long renewMillis;
    private final long fastRetryWindowMillis;
    private final long startedNanos = System.nanoTime();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registry-renew");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean registered;
    private volatile int lastFailure; // the status of the last failed registration, so a retry repeats no warning

    public RegistryClient(String registryUrl, String name, String nodeUrl, String token, long renewMillis) {
        this(registryUrl, name, nodeUrl, token, renewMillis, FAST_RETRY_WINDOW_MILLIS);
    }

    /** With a window of fast retries of its own (a test's, shorter than a balancer's boot). */
    RegistryClient(
            String registryUrl,
            String name,
            String nodeUrl,
            String token,
            long renewMillis,
            long fastRetryWindowMillis) {
        this.registryUrl = registryUrl.endsWith("/") ? registryUrl.substring(0, registryUrl.length() - 1) : registryUrl;
        this.name = name;
        this.nodeUrl = nodeUrl;
        this.token = token;
        this.renewMillis = renewMillis;
        this.fastRetryWindowMillis = fastRetryWindowMillis;
    }

    public void start() {
        register();
        if (!registered) {
            timer.schedule(this::firstRegistration, FIRST_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            startRenewing();
        }
    }

    private void firstRegistration() {
        try {
            register();
        } catch (RuntimeException e) {
            LOG.warning(() -> name + " registration failed unexpectedly: " + e);
        }
        if (registered) {
            startRenewing();
        } else {
            boolean early = System.nanoTime() - startedNanos < TimeUnit.MILLISECONDS.toNanos(fastRetryWindowMillis);
            timer.schedule(this::firstRegistration, early ? FIRST_RETRY_MILLIS : renewMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void startRenewing() {
        timer.scheduleWithFixedDelay(this::renewSafely, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
    }

    private void register() {
        String form = "url=" + URLEncoder.encode(nodeUrl, StandardCharsets.UTF_8);
        int status = send(request()
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .header("Content-Type", "application/x-www-form-urlencoded"));
        boolean ok = status == 200 || status == 201;
        if (ok && !registered) {
            LOG.info(() -> name + " registered at " + registryUrl + " as " + nodeUrl);
        } else if (!ok && status != lastFailure) {
            LOG.warning(() -> name + " could not register at " + registryUrl + " (" + describe(status) + "); retrying");
        }
        lastFailure = ok ? 0 : status;
        registered = ok;
    }

    /** A scheduled task that throws is cancelled without a word: log and go on instead. */
    private void renewSafely() {
        try {
            renew();
        } catch (RuntimeException e) {
            LOG.warning(() -> name + " renewal failed unexpectedly: " + e);
        }
    }

    private void renew() {
        if (!registered) {
            register();
            return;
        }
        int status = send(request().PUT(HttpRequest.BodyPublishers.noBody()));
        if (status == 404) {
            LOG.info(() -> name + " is unknown to the registry (evicted?); registering again");
            register();
        } else if (status != 200) {
            LOG.warning(() -> name + " renewal failed (" + describe(status) + ")");
        }
    }

    /** Deregisters (best effort) and stops renewing. */
    @Override
    public void close() {
        timer.shutdownNow();
        if (registered) {
            int status = send(request().DELETE());
            LOG.info(() -> name + " deregistered (" + describe(status) + ")");
            registered = false;
        }
    }

    private HttpRequest.Builder request() {
        return HttpRequest.newBuilder(URI.create(registryUrl + "/registry/" + name))
                .timeout(Duration.ofSeconds(2))
                .header("Authorization", "Bearer " + token);
    }

    /** The HTTP status, or -1 when the registry did not answer. */
    private int send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String describe(int status) {
        return status < 0 ? "no answer" : "HTTP " + status;
    }
}
