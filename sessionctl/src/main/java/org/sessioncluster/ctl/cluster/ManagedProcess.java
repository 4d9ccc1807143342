package org.sessioncluster.ctl.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A child process sessionctl started (a node JVM or a Redis server): its pid, start time and log file.
 * It may be re-found from the run state by a later sessionctl command; the start time guards against
 * a recycled pid.
 */
public record ManagedProcess(String name, long pid, Instant startedAt, Path log) {
    private static final Logger LOG = Logger.getLogger(ManagedProcess.class.getName());

    /** Starts a command with its output appended to the log file and no standard input. */
    static ManagedProcess start(String name, List<String> command, Path log) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            // one log per process name across restarts; a header marks where each run begins
            Files.writeString(
                    log,
                    "---- " + Instant.now() + " starting " + name + ": " + describe(command) + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            Instant started = process.info().startInstant().orElse(Instant.now());
            return new ManagedProcess(name, process.pid(), started, log);
        } catch (IOException e) {
            throw new LaunchException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    /** The command as a line for the log, without the (long) class path. */
    private static String describe(List<String> command) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < command.size(); i++) {
            boolean classPath = i > 0 && command.get(i - 1).equals("-cp");
            sb.append(i == 0 ? "" : " ").append(classPath ? "<class path>" : command.get(i));
        }
        return sb.toString();
    }

    /** The live process, if this pid still belongs to the process we started. */
    Optional<ProcessHandle> handle() {
        return ProcessHandle.of(pid)
                .filter(h -> h.isAlive() && !(orphan(h) && exited(h.pid())))
                .filter(h -> h.info()
                        .startInstant()
                        .map(s -> Duration.between(s, startedAt).abs().toMillis() < 2000)
                        .orElse(true));
    }

    public boolean isAlive() {
        return handle().isPresent();
    }

    /** SIGKILL, as a crash would: no shutdown hooks, no goodbye to the cluster. Waits until it is gone. */
    public void kill() {
        handle().ifPresent(h -> {
            h.destroyForcibly();
            awaitExit(h, Duration.ofSeconds(10));
        });
    }

    /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
    public void stop(Duration grace) {
        handle().ifPresent(h -> {
            h.destroy();
            if (!awaitExit(h, grace)) {
                LOG.warning(
                        () -> name + " (pid " + pid + ") ignored SIGTERM for " + grace.toSeconds() + " s; killing it");
                h.destroyForcibly();
                awaitExit(h, Duration.ofSeconds(10));
            }
        });
    }

    /** The last lines of the log, for error messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /**
     * Waits until the process is gone. A process started by an earlier sessionctl (as {@code down} finds it) has
     * lost that parent, and whoever inherited it may take a while to collect its status: such a process counts as
     * gone once it has exited (a zombie: its ports and files are closed). This JVM's own children are collected
     * at once, and waited for as before.
     */
    private static boolean awaitExit(ProcessHandle h, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean orphan = orphan(h);
        while (h.isAlive() && !(orphan && exited(h.pid()))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                h.onExit().get(20, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // look again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !h.isAlive();
            } catch (java.util.concurrent.ExecutionException e) {
                return !h.isAlive();
            }
        }
        return true;
    }

    /** True when the process is not a child of this JVM (which collects its children's exit itself). */
    private static boolean orphan(ProcessHandle h) {
        return h.parent().map(p -> p.pid() != ProcessHandle.current().pid()).orElse(true);
    }

    /** True when the process has exited and is a zombie (state Z in /proc; false where there is no /proc). */
    static boolean exited(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            int end = stat.lastIndexOf(')'); // the command name may hold spaces and parentheses
            return end > 0 && stat.length() > end + 2 && stat.charAt(end + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
