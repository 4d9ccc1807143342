package org.sessioncluster.ctl.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.sessioncluster.ctl.cluster.ManagedProcess;
import org.sessioncluster.ctl.cluster.RedisServer;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/**
 * Benchmark, not a test (run with {@code scripts/bench-redis-clients.sh}): what one Redis round trip costs the
 * calling JVM with each client the redis mode could use. The call is the one the redis mode makes most: an
 * EVALSHA of a script that returns a session hash (10 fields, about 1 KB). Clients: Redisson (the redisson
 * mode's), Lettuce (spring-session's: one shared connection, its synchronous API) and Jedis (the redis mode's: a
 * pool of blocking connections, the calling thread writes and reads itself). Two loads: 16 threads calling back
 * to back (calls pile up and share the I/O thread's wake-ups), and 1 thread (each call alone, as on a node
 * that is not saturated: what a request pays for its round trip). Per client and load, rounds interleaved: calls
 * per second, CPU time of this JVM per call (/proc/self/stat) and Redis's CPU per call. Writes
 * {@code target/bench/redis-clients.json} and {@code .md}.
 */
@Tag("bench")
class RedisClientBenchmark {
    private static final int[] THREADS = {16, 1};
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 5);
    private static final String SCRIPT = "return redis.call('HGETALL', KEYS[1])";
    private static final String KEY = "bench:{session}";

    /** One client under test: a call that must be safe from many threads. */
    interface Client extends AutoCloseable {
        void call() throws Exception;

        @Override
        void close();
    }

    record Sample(
            String client,
            int threads,
            int round,
            double callsPerSecond,
            double jvmCpuUsPerCall,
            double redisCpuUsPerCall) {}

    @Test
    void oneRoundTripWithEachClient() throws Exception {
        int port = java.util.concurrent.ThreadLocalRandom.current().nextInt(20000, 40000);
        Path dir = Files.createTempDirectory("bench-redis-clients");
        ManagedProcess redis = RedisServer.startOnLoopback(port, dir.resolve("redis.log"));
        Map<String, Client> clients = new LinkedHashMap<>();
        try {
            String sha;
            try (Jedis c = new Jedis("127.0.0.1", port)) {
                for (int i = 0; i < 10; i++) {
                    c.hset(KEY, "attr:" + i, "x".repeat(100));
                }
                sha = c.scriptLoad(SCRIPT);
            }
            clients.put("redisson", redisson(port, sha));
            clients.put("lettuce", lettuce(port, sha));
            clients.put("jedis", jedis(port, sha));
            for (var e : clients.entrySet()) {
                for (int threads : THREADS) {
                    run(e.getValue(), threads, SECONDS); // warm-up: JIT, pools
                    run(e.getValue(), threads, SECONDS);
                }
                System.out.println("warmed " + e.getKey());
            }
            List<Sample> samples = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                for (int threads : THREADS) {
                    for (var e : clients.entrySet()) {
                        long jvm0 = SessionServerBenchmark.cpuTicks(
                                ProcessHandle.current().pid());
                        long redis0 = SessionServerBenchmark.cpuTicks(redis.pid());
                        long calls = run(e.getValue(), threads, SECONDS);
                        double jvm = (SessionServerBenchmark.cpuTicks(
                                                ProcessHandle.current().pid())
                                        - jvm0)
                                * 10_000.0;
                        double red = (SessionServerBenchmark.cpuTicks(redis.pid()) - redis0) * 10_000.0;
                        Sample s = new Sample(
                                e.getKey(), threads, round, calls / (double) SECONDS, jvm / calls, red / calls);
                        samples.add(s);
                        System.out.printf(
                                "round %d %2d thread(s) %-9s %9.0f calls/s  JVM CPU %6.1f us/call  Redis CPU %5.1f us/call%n",
                                round,
                                threads,
                                s.client(),
                                s.callsPerSecond(),
                                s.jvmCpuUsPerCall(),
                                s.redisCpuUsPerCall());
                    }
                }
            }
            write(samples, clients.keySet());
        } finally {
            clients.values().forEach(Client::close);
            redis.kill();
        }
    }

    /** {@code threads} threads calling as fast as they can for the given seconds; returns the number of calls. */
    private static long run(Client client, int threads, int seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder calls = new LongAdder();
        List<Thread> running = new ArrayList<>();
        List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        client.call();
                        calls.increment();
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            thread.start();
            running.add(thread);
        }
        Thread.sleep(seconds * 1000L); // the measured window itself, not a wait for a condition
        stop.set(true);
        for (Thread t : running) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return calls.sum();
    }

    private static Client redisson(int port, String sha) {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:" + port);
        RedissonClient client = Redisson.create(config);
        RScript script = client.getScript(org.redisson.client.codec.ByteArrayCodec.INSTANCE);
        List<Object> keys = List.of(KEY);
        return new Client() {
            @Override
            public void call() {
                List<?> r = script.evalSha(KEY, RScript.Mode.READ_WRITE, sha, RScript.ReturnType.MULTI, keys);
                check(r.size());
            }

            @Override
            public void close() {
                client.shutdown();
            }
        };
    }

    private static Client lettuce(int port, String sha) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        StatefulRedisConnection<byte[], byte[]> connection =
                client.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE);
        byte[] key = KEY.getBytes(StandardCharsets.UTF_8);
        return new Client() {
            @Override
            public void call() {
                List<Object> r = connection.sync().evalsha(sha, ScriptOutputType.MULTI, key);
                check(r.size());
            }

            @Override
            public void close() {
                connection.close();
                client.shutdown();
            }
        };
    }

    /** As the redis mode uses it: a pool of blocking connections, one borrowed per call. */
    private static Client jedis(int port, String sha) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(32);
        pool.setMaxIdle(32);
        pool.setJmxEnabled(false);
        JedisPooled client = new JedisPooled(pool, "127.0.0.1", port);
        byte[] digest = sha.getBytes(StandardCharsets.UTF_8);
        List<byte[]> keys = List.of(KEY.getBytes(StandardCharsets.UTF_8));
        return new Client() {
            @Override
            public void call() {
                List<?> r = (List<?>) client.evalsha(digest, keys, List.of());
                check(r.size());
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    private static void check(int fields) {
        if (fields != 20) {
            throw new IllegalStateException("expected 10 fields and values, got " + fields + " items");
        }
    }

    private static void write(List<Sample> samples, Iterable<String> clients) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode()
                .put("rounds", ROUNDS)
                .put("secondsPerRound", SECONDS)
                .put("call", "EVALSHA of a script returning a 10-field hash (about 1 KB)");
        ArrayNode list = root.putArray("samples");
        samples.forEach(s -> list.addObject()
                .put("client", s.client())
                .put("threads", s.threads())
                .put("round", s.round())
                .put("callsPerSecond", s.callsPerSecond())
                .put("jvmCpuUsPerCall", s.jvmCpuUsPerCall())
                .put("redisCpuUsPerCall", s.redisCpuUsPerCall()));
        StringBuilder md = new StringBuilder()
                .append("# One Redis round trip with each Java client\n\n")
                .append("Generated by `scripts/bench-redis-clients.sh`: an EVALSHA returning a 10-field hash (about")
                .append(" 1 KB), the call the redis mode makes most, from 16 threads back to back and from 1 thread")
                .append(" (each call alone: what a request pays on a node that is not saturated). ")
                .append(ROUNDS)
                .append(" interleaved rounds of ")
                .append(SECONDS)
                .append(" s; medians, min–max in brackets; CPU from `/proc`.\n\n")
                .append(
                        "| client | threads | calls/s | JVM CPU µs/call | Redis CPU µs/call |\n|---|---|---|---|---|\n");
        System.out.printf("%nmedians of %d rounds (min-max):%n", ROUNDS);
        ArrayNode medians = root.putArray("medians");
        for (int threads : THREADS) {
            for (String c : clients) {
                double[] rate = values(samples, c, threads, Sample::callsPerSecond);
                double[] cpu = values(samples, c, threads, Sample::jvmCpuUsPerCall);
                double[] red = values(samples, c, threads, Sample::redisCpuUsPerCall);
                medians.addObject()
                        .put("client", c)
                        .put("threads", threads)
                        .put("callsPerSecond", rate[rate.length / 2])
                        .put("jvmCpuUsPerCall", cpu[cpu.length / 2])
                        .put("jvmCpuUsPerCallMin", cpu[0])
                        .put("jvmCpuUsPerCallMax", cpu[cpu.length - 1])
                        .put("redisCpuUsPerCall", red[red.length / 2]);
                String line = String.format(
                        java.util.Locale.ROOT,
                        "| %s | %d | %.0f (%.0f–%.0f) | %.1f (%.1f–%.1f) | %.1f |%n",
                        c,
                        threads,
                        rate[rate.length / 2],
                        rate[0],
                        rate[rate.length - 1],
                        cpu[cpu.length / 2],
                        cpu[0],
                        cpu[cpu.length - 1],
                        red[red.length / 2]);
                md.append(line);
                System.out.print(line);
            }
        }
        Path out = Path.of("target", "bench", "redis-clients.json");
        Files.createDirectories(out.getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
        Files.writeString(out.resolveSibling("redis-clients.md"), md.toString());
        System.out.println("results: " + out.toAbsolutePath());
    }

    private static double[] values(
            List<Sample> samples, String client, int threads, java.util.function.ToDoubleFunction<Sample> f) {
        return samples.stream()
                .filter(s -> s.client().equals(client) && s.threads() == threads)
                .mapToDouble(f)
                .sorted()
                .toArray();
    }
}
