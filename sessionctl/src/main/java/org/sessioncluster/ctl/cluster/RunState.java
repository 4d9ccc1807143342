package org.sessioncluster.ctl.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code sessionctl up} started, written to {@code <run-dir>/state.json} so that {@code status} and
 * {@code down} in later invocations find the same processes.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunState(
        String mode, String config, List<Proc> nodes, Proc redis, Proc balancer, List<Proc> redisHelpers) {

    /** A state without Redis helpers (no Sentinel setup). */
    public RunState(String mode, String config, List<Proc> nodes, Proc redis, Proc balancer) {
        this(mode, config, nodes, redis, balancer, List.of());
    }

    public RunState {
        redisHelpers = redisHelpers == null ? List.of() : List.copyOf(redisHelpers); // state files from before Sentinel
    }

    static final String FILE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One started process: name, pid, start time (ms since the epoch), URL if it serves HTTP, log file, WAR (nodes). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Proc(String name, long pid, long startedAtMillis, String url, String log, String war) {
        static Proc of(ManagedProcess p, String url) {
            return of(p, url, null);
        }

        static Proc of(ManagedProcess p, String url, Path war) {
            return new Proc(
                    p.name(),
                    p.pid(),
                    p.startedAt().toEpochMilli(),
                    url,
                    p.log().toString(),
                    war == null ? null : war.toString());
        }

        ManagedProcess process() {
            return new ManagedProcess(name, pid, Instant.ofEpochMilli(startedAtMillis), Path.of(log));
        }
    }

    void write(Path runDir) {
        try {
            Files.createDirectories(runDir);
            Path tmp = runDir.resolve(FILE + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(
                    tmp,
                    runDir.resolve(FILE),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LaunchException("cannot write the run state to " + runDir + ": " + e.getMessage(), e);
        }
    }

    public static Optional<RunState> read(Path runDir) {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), RunState.class));
        } catch (IOException e) {
            throw new LaunchException(
                    "the run state " + file + " is unreadable (" + e.getMessage()
                            + "); stop leftover processes by hand and delete it",
                    e);
        }
    }

    static void delete(Path runDir) {
        try {
            Files.deleteIfExists(runDir.resolve(FILE));
        } catch (IOException e) {
            throw new LaunchException("cannot delete " + runDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** Every process in this state that is still alive. */
    public List<ManagedProcess> liveProcesses() {
        java.util.ArrayList<ManagedProcess> all = new java.util.ArrayList<>();
        nodes.forEach(n -> all.add(n.process()));
        if (balancer != null) {
            all.add(balancer.process());
        }
        if (redis != null) {
            all.add(redis.process());
        }
        redisHelpers.forEach(r -> all.add(r.process()));
        return all.stream().filter(ManagedProcess::isAlive).toList();
    }
}
