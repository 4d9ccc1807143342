package org.sessioncluster.ctl.compare;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.sessioncluster.ctl.cluster.ExitGuard;
import org.sessioncluster.ctl.cluster.ManagedProcess;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.load.meter.ProcessCpu;
import org.sessioncluster.load.report.MemoryLadder;
import org.sessioncluster.load.report.RunResult;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * Measures the memory ladder: one session saved and loaded back, one at a time (what a request waits for), on the
 * JVM heap, Redis in memory, Redis with {@code appendfsync always}, a file in the page cache (the disk mode's
 * default) and a file forced to the device ({@code session.store.fsync}). Every rung serializes and deserializes
 * the session with Java serialization, as Tomcat's stores do. Redis runs on 127.0.0.1 for the measurement only;
 * files and Redis's log go to a folder given by the caller, which names the device measured.
 */
public final class MemoryLadderRun {
    /** Saves and loads cycle over this many sessions, as a store serving many users would. */
    private static final int SESSIONS = 200;

    private final Path dir;
    private final int rounds;
    private final Duration perRound;
    private final int payload;
    private final Consumer<String> progress;

    /** One rung: saves and loads serialized sessions by id. */
    private interface Rung extends AutoCloseable {
        void save(String id, byte[] data) throws IOException;

        byte[] load(String id) throws IOException;

        @Override
        default void close() {}
    }

    private record Sample(double saveP50, double saveP99, double loadP50, double loadP99, double cpuPerPair) {}

    public MemoryLadderRun(Path dir, int rounds, Duration perRound, int payload, Consumer<String> progress) {
        this.dir = dir.toAbsolutePath();
        this.rounds = rounds;
        this.perRound = perRound;
        this.payload = payload;
        this.progress = progress;
    }

    public MemoryLadder run() throws IOException, InterruptedException {
        deleteTree(dir);
        Files.createDirectories(dir);
        Map<String, String> what = new LinkedHashMap<>();
        what.put("heap", "a map in this JVM (serialization only)");
        what.put("redis", "Redis in memory: SET with expiry, GET (one round trip each, Jedis)");
        what.put("redis-aof-always", "the same Redis setup with appendonly yes, appendfsync always");
        what.put("file", "a file per session, written and closed (Tomcat's FileStore, disk mode's default)");
        what.put("file-fsync", "the same, forced to the device (session.store.fsync=true)");
        Map<String, Rung> rungs = new LinkedHashMap<>();
        Map<String, ManagedProcess> redisOf = new HashMap<>();
        List<ManagedProcess> servers = new CopyOnWriteArrayList<>();
        try (ExitGuard serversGone =
                ExitGuard.onExit("stop-ladder-redis-at-exit", () -> servers.forEach(ManagedProcess::kill))) {
            int memoryPort = RedisServer.freeLoopbackPort();
            ManagedProcess memory = RedisServer.startOnLoopback(memoryPort, dir.resolve("redis.log"));
            servers.add(memory);
            int aofPort = RedisServer.freeLoopbackPort();
            ManagedProcess aof = RedisServer.startOnLoopback(aofPort, dir.resolve("redis-aof.log"));
            servers.add(aof);
            switchAppendOnlyOn(aofPort);
            rungs.put("heap", heap());
            rungs.put("redis", redis(memoryPort));
            redisOf.put("redis", memory);
            rungs.put("redis-aof-always", redis(aofPort));
            redisOf.put("redis-aof-always", aof);
            rungs.put("file", files(dir.resolve("file"), false));
            rungs.put("file-fsync", files(dir.resolve("file-fsync"), true));
            int sessionBytes = serialize(session(0)).length;
            for (var e : rungs.entrySet()) {
                measure(e.getKey(), e.getValue(), null); // warm-up: JIT, connections, files
            }
            Map<String, List<Sample>> samples = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                for (var e : rungs.entrySet()) {
                    Sample s = measure(e.getKey(), e.getValue(), redisOf.get(e.getKey()));
                    samples.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(s);
                }
                progress.accept(String.format(
                        java.util.Locale.ROOT,
                        "memory ladder round %d/%d: save p50 %s",
                        round,
                        rounds,
                        samples.entrySet().stream()
                                .map(e -> String.format(
                                        java.util.Locale.ROOT,
                                        "%s %.0f µs",
                                        e.getKey(),
                                        e.getValue()
                                                .get(e.getValue().size() - 1)
                                                .saveP50()))
                                .toList()));
            }
            FileStore device = Files.getFileStore(dir);
            List<MemoryLadder.Rung> out = new ArrayList<>();
            samples.forEach((name, list) -> out.add(new MemoryLadder.Rung(
                    name,
                    what.get(name),
                    spread(list, Sample::saveP50),
                    spread(list, Sample::saveP99),
                    spread(list, Sample::loadP50),
                    spread(list, Sample::loadP99),
                    spread(list, Sample::cpuPerPair))));
            return new MemoryLadder(device.type() + " (" + device.name() + ")", sessionBytes, rounds, out);
        } finally {
            rungs.values().forEach(Rung::close);
            servers.forEach(ManagedProcess::kill); // waits until each is gone
            deleteTree(dir); // the session files, and Redis's logs and append-only files
        }
    }

    /** Switching the log on makes Redis rewrite it in the background first; measure once that is over. */
    private static void switchAppendOnlyOn(int port) throws InterruptedException {
        try (Jedis admin = new Jedis("127.0.0.1", port)) {
            admin.configSet("appendfsync", "always");
            admin.configSet("appendonly", "yes");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                String info = admin.info("persistence");
                if (info.contains("aof_enabled:1") && info.contains("aof_rewrite_in_progress:0")) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Redis did not switch its append-only log on within 30 s");
                }
                Thread.sleep(20); // polling Redis's state with a deadline
            }
        }
    }

    private Sample measure(String name, Rung rung, ManagedProcess redis) throws IOException {
        Histogram saves = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Histogram loads = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        long self = ProcessHandle.current().pid();
        ProcessCpu.Ticks jvm0 = ProcessCpu.of(self);
        ProcessCpu.Ticks redis0 = redis == null ? ProcessCpu.Ticks.NONE : ProcessCpu.of(redis.pid());
        long end = System.nanoTime() + perRound.toNanos();
        long pairs = 0;
        while (System.nanoTime() < end) {
            int i = (int) (pairs % SESSIONS);
            String id = "s" + i;
            long t0 = System.nanoTime();
            rung.save(id, serialize(session(i)));
            long t1 = System.nanoTime();
            Object back = deserialize(rung.load(id));
            long t2 = System.nanoTime();
            if (!(back instanceof Map<?, ?> m) || !("user-" + i).equals(m.get("user"))) {
                throw new IllegalStateException(name + " gave back another session for " + id);
            }
            saves.recordValue(Math.min(t1 - t0, saves.getHighestTrackableValue()));
            loads.recordValue(Math.min(t2 - t1, loads.getHighestTrackableValue()));
            pairs++;
        }
        double cpu = ProcessCpu.of(self).secondsSince(jvm0)
                + (redis == null ? 0 : ProcessCpu.of(redis.pid()).secondsSince(redis0));
        return new Sample(
                saves.getValueAtPercentile(50) / 1000.0,
                saves.getValueAtPercentile(99) / 1000.0,
                loads.getValueAtPercentile(50) / 1000.0,
                loads.getValueAtPercentile(99) / 1000.0,
                cpu * 1e6 / Math.max(1, pairs));
    }

    private static RunResult.Spread spread(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
        return RunResult.Spread.of(samples.stream().mapToDouble(f).toArray());
    }

    /** What the shop keeps: a user, a cart and a payload. */
    private HashMap<String, Object> session(int i) {
        HashMap<String, Object> s = new HashMap<>();
        s.put("user", "user-" + i);
        s.put("cart", new ArrayList<>(List.of("apple", "pear", "plum", "fig", "kiwi")));
        s.put("version", (long) i);
        s.put("payload", new byte[payload]);
        return s;
    }

    private byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload + 512);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static Object deserialize(byte[] data) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
    }

    private static Rung heap() {
        Map<String, byte[]> map = new ConcurrentHashMap<>();
        return new Rung() {
            @Override
            public void save(String id, byte[] data) {
                map.put(id, data);
            }

            @Override
            public byte[] load(String id) {
                return map.get(id);
            }
        };
    }

    private static Rung redis(int port) {
        Jedis jedis = new Jedis("127.0.0.1", port);
        SetParams expiry = SetParams.setParams().px(1_800_000);
        return new Rung() {
            @Override
            public void save(String id, byte[] data) {
                jedis.set(key(id), data, expiry);
            }

            @Override
            public byte[] load(String id) {
                return jedis.get(key(id));
            }

            @Override
            public void close() {
                jedis.close();
            }
        };
    }

    private static byte[] key(String id) {
        return ("ladder:{" + id + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** As Tomcat's FileStore: one file per session, written whole and closed; fsync as MeteredFileStore does it. */
    private static Rung files(Path dir, boolean fsync) throws IOException {
        Files.createDirectories(dir);
        return new Rung() {
            @Override
            public void save(String id, byte[] data) throws IOException {
                Path file = dir.resolve(id + ".session");
                Files.write(file, data);
                if (fsync) {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        channel.force(true);
                    }
                }
            }

            @Override
            public byte[] load(String id) throws IOException {
                return Files.readAllBytes(dir.resolve(id + ".session"));
            }
        };
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
