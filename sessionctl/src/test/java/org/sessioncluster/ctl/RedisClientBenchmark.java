package org.sessioncluster.ctl;

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
import java.util.Arrays;
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
import org.sessioncluster.load.meter.RespConnection;

/**
 * Benchmark, not a test (run with {@code scripts/bench-redis-clients.sh}): what one Redis round trip costs the
 * calling JVM with each client the redis mode could use. The call is the one the redis mode makes most: an
 * EVALSHA of a script that returns a session hash (10 fields, about 1 KB), from 16 threads at once, as 16
 * request threads would. Clients: Redisson (what the redis mode uses: RScript.evalSha, bytes codec),
 * Lettuce (its synchronous API on one shared connection, as Spring Data Redis uses it), and a blocking
 * connection per thread that writes and reads on the calling thread (this project's RESP client, standing
 * in for Jedis: no hand-off to an event-loop thread). Per client, rounds interleaved: calls per second and
 * CPU time of this JVM per call (/proc/self/stat), and Redis's CPU per call. Writes
 * {@code target/bench/redis-clients.json}.
 */
@Tag("bench")
class RedisClientBenchmark {
    private static final int THREADS = 16;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 5);
    private static final String SCRIPT = "return redis.call('HGETALL', KEYS[1])";
    private static final String KEY = "bench:{session}";

    /** One client under test: a call that must be safe from many threads (or one connection per thread). */
    interface Client extends AutoCloseable {
        void call(int thread) throws Exception;

        @Override
        void close();
    }

    record Sample(String client, int round, double callsPerSecond, double jvmCpuUsPerCall, double redisCpuUsPerCall) {}

    @Test
    void oneRoundTripWithEachClient() throws Exception {
        int port = java.util.concurrent.ThreadLocalRandom.current().nextInt(20000, 40000);
        Path dir = Files.createTempDirectory("bench-redis-clients");
        ManagedProcess redis = RedisServer.startOnLoopback(port, dir.resolve("redis.log"));
        Map<String, Client> clients = new LinkedHashMap<>();
        try {
            String sha;
            try (RespConnection c = RespConnection.open("127.0.0.1", port, false, RespConnection.Access.NONE, 2000)) {
                List<String> hset = new ArrayList<>(List.of("HSET", KEY));
                for (int i = 0; i < 10; i++) {
                    hset.add("attr:" + i);
                    hset.add("x".repeat(100));
                }
                c.call(hset.toArray(String[]::new));
                sha = String.valueOf(c.call("SCRIPT", "LOAD", SCRIPT));
            }
            clients.put("redisson", redisson(port, sha));
            clients.put("lettuce", lettuce(port, sha));
            clients.put("blocking (per thread)", blocking(port, sha));
            for (var e : clients.entrySet()) {
                run(e.getValue(), SECONDS); // warm-up: JIT, pools
                run(e.getValue(), SECONDS);
                System.out.println("warmed " + e.getKey());
            }
            List<Sample> samples = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                for (var e : clients.entrySet()) {
                    long jvm0 = SessionServerBenchmark.cpuTicks(
                            ProcessHandle.current().pid());
                    long redis0 = SessionServerBenchmark.cpuTicks(redis.pid());
                    long calls = run(e.getValue(), SECONDS);
                    double jvm = (SessionServerBenchmark.cpuTicks(
                                            ProcessHandle.current().pid())
                                    - jvm0)
                            * 10_000.0;
                    double red = (SessionServerBenchmark.cpuTicks(redis.pid()) - redis0) * 10_000.0;
                    Sample s = new Sample(e.getKey(), round, calls / (double) SECONDS, jvm / calls, red / calls);
                    samples.add(s);
                    System.out.printf(
                            "round %d %-22s %9.0f calls/s  JVM CPU %6.1f us/call  Redis CPU %5.1f us/call%n",
                            round, s.client(), s.callsPerSecond(), s.jvmCpuUsPerCall(), s.redisCpuUsPerCall());
                }
            }
            write(samples, clients.keySet());
        } finally {
            clients.values().forEach(Client::close);
            redis.kill();
        }
    }

    /** THREADS threads calling as fast as they can for the given seconds; returns the number of calls. */
    private static long run(Client client, int seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder calls = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < THREADS; t++) {
            int index = t;
            Thread thread = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        client.call(index);
                        calls.increment();
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        Thread.sleep(seconds * 1000L); // the measured window itself, not a wait for a condition
        stop.set(true);
        for (Thread t : threads) {
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
            public void call(int thread) {
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
            public void call(int thread) {
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

    private static Client blocking(int port, String sha) throws Exception {
        RespConnection[] connections = new RespConnection[THREADS];
        for (int i = 0; i < THREADS; i++) {
            connections[i] = RespConnection.open("127.0.0.1", port, false, RespConnection.Access.NONE, 2000);
        }
        return new Client() {
            @Override
            public void call(int thread) throws Exception {
                List<?> r = (List<?>) connections[thread].call("EVALSHA", sha, "1", KEY);
                check(r.size());
            }

            @Override
            public void close() {
                Arrays.stream(connections).forEach(c -> {
                    try {
                        c.close();
                    } catch (java.io.IOException ignored) {
                        // closing
                    }
                });
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
                .put("threads", THREADS)
                .put("rounds", ROUNDS)
                .put("secondsPerRound", SECONDS)
                .put("call", "EVALSHA of a script returning a 10-field hash (about 1 KB)");
        ArrayNode list = root.putArray("samples");
        samples.forEach(s -> list.addObject()
                .put("client", s.client())
                .put("round", s.round())
                .put("callsPerSecond", s.callsPerSecond())
                .put("jvmCpuUsPerCall", s.jvmCpuUsPerCall())
                .put("redisCpuUsPerCall", s.redisCpuUsPerCall()));
        System.out.printf("%nmedians of %d rounds (min-max), %d threads:%n", ROUNDS, THREADS);
        ObjectNode medians = root.putObject("medians");
        for (String c : clients) {
            double[] rate = samples.stream()
                    .filter(s -> s.client().equals(c))
                    .mapToDouble(Sample::callsPerSecond)
                    .sorted()
                    .toArray();
            double[] cpu = samples.stream()
                    .filter(s -> s.client().equals(c))
                    .mapToDouble(Sample::jvmCpuUsPerCall)
                    .sorted()
                    .toArray();
            double[] red = samples.stream()
                    .filter(s -> s.client().equals(c))
                    .mapToDouble(Sample::redisCpuUsPerCall)
                    .sorted()
                    .toArray();
            medians.putObject(c)
                    .put("callsPerSecond", rate[rate.length / 2])
                    .put("jvmCpuUsPerCall", cpu[cpu.length / 2])
                    .put("jvmCpuUsPerCallMin", cpu[0])
                    .put("jvmCpuUsPerCallMax", cpu[cpu.length - 1])
                    .put("redisCpuUsPerCall", red[red.length / 2]);
            System.out.printf(
                    "%-22s %9.0f calls/s (%.0f-%.0f)  JVM CPU %6.1f us/call (%.1f-%.1f)  Redis CPU %5.1f us/call%n",
                    c,
                    rate[rate.length / 2],
                    rate[0],
                    rate[rate.length - 1],
                    cpu[cpu.length / 2],
                    cpu[0],
                    cpu[cpu.length - 1],
                    red[red.length / 2]);
        }
        Path out = Path.of("target", "bench", "redis-clients.json");
        Files.createDirectories(out.getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
        System.out.println("results: " + out.toAbsolutePath());
    }
}
