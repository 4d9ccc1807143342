package org.sessioncluster.node.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessioncluster.testsupport.FreePorts;

/** A node's registration against a real HTTP registry that refuses it at first. */
class RegistryClientIT {
    private record Call(String method, long atMillis) {}

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile int answer = 503;
    private HttpServer registry;
    private long started;

    @BeforeEach
    void startRegistry() throws Exception {
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.loopback()), 0);
        registry.createContext("/registry/", exchange -> {
            calls.add(
                    new Call(exchange.getRequestMethod(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        registry.start();
    }

    @AfterEach
    void stopRegistry() {
        registry.stop(0);
    }

    private List<Long> posts(long fromMillis, long toMillis) {
        return calls.stream()
                .filter(c -> c.method().equals("POST") && c.atMillis() >= fromMillis && c.atMillis() < toMillis)
                .map(Call::atMillis)
                .toList();
    }

    @Test
    void aRefusedFirstRegistrationIsRetriedFastAtFirstThenOncePerRenewalUntilItSucceeds() {
        String url = "http://127.0.0.1:" + registry.getAddress().getPort() + "/registry";
        started = System.nanoTime();
        try (RegistryClient client = new RegistryClient(url, "node-1", "http://127.0.0.1:1/", "", 1_000, 1_500)) {
            client.start();
            // after the fast window: two more attempts, a renew interval apart
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> posts(1_700, Long.MAX_VALUE).size() >= 2);
            List<Long> early = posts(0, 1_500);
            assertThat(early)
                    .as("retried every %d ms while the balancer may be booting", RegistryClient.FIRST_RETRY_MILLIS)
                    .hasSizeGreaterThanOrEqualTo(3);
            for (int i = 1; i < early.size(); i++) {
                assertThat(early.get(i) - early.get(i - 1))
                        .as("early retries " + early)
                        .isLessThan(500);
            }
            List<Long> late = posts(1_700, Long.MAX_VALUE);
            assertThat(late.get(1) - late.get(0))
                    .as("then once per renew interval, not ten times a second")
                    .isGreaterThanOrEqualTo(900);

            answer = 201; // the registry comes up: the node registers and renews
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> calls.stream().anyMatch(c -> c.method().equals("PUT")));
        }
    }
}
