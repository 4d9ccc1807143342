package org.sessioncluster.balancer.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The registry's snapshot: nodes that register at the same moment are all listed afterwards. */
class BackendPoolTest {

    @Test
    void concurrentRegistrationsAreAllListed() throws Exception {
        int threads = 4;
        int perThread = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 100; round++) {
                BackendPool registry = new BackendPool(name -> 1, 60_000);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int first = t * perThread;
                    done.add(pool.submit(() -> {
                        go.await();
                        for (int i = first; i < first + perThread; i++) {
                            registry.register("node-" + i, "http://127.0.0.1:" + (20000 + i));
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : done) {
                    f.get();
                }
                assertThat(registry.all()).as("round %d", round).hasSize(threads * perThread);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void silentNodeIsEvictedAndMustRegisterAgain() {
        BackendPool registry = new BackendPool(name -> 1, 0);
        registry.register("node-1", "http://127.0.0.1:20001");
        assertThat(registry.evictSilent()).containsExactly("node-1");
        assertThat(registry.renew("node-1")).isFalse();
        assertThat(registry.all())
                .singleElement()
                .satisfies(b -> assertThat(b.registered()).isFalse());
        registry.register("node-1", "http://127.0.0.1:20001");
        assertThat(registry.renew("node-1")).isTrue();
    }
}
