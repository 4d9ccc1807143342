package org.sessioncluster.load.report;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The memory hierarchy under a session store, as measured: per rung (heap, Redis, Redis with appendfsync always,
 * a file in the page cache, a file forced to the device), save and load latency and CPU per save+load, each as
 * the median and range of interleaved rounds.
 *
 * @param fileSystem   where the files and Redis's log were (type and device)
 * @param sessionBytes the serialized session saved and loaded
 */
public record MemoryLadder(String fileSystem, int sessionBytes, int rounds, List<Rung> rungs) {

    public MemoryLadder {
        rungs = List.copyOf(rungs);
    }

    /** One rung; latencies in µs, CPU in µs per save+load (this JVM and Redis). */
    public record Rung(
            String name,
            String what,
            RunResult.Spread saveP50,
            RunResult.Spread saveP99,
            RunResult.Spread loadP50,
            RunResult.Spread loadP99,
            RunResult.Spread cpu) {}

    public Optional<Rung> rung(String name) {
        return rungs.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** A rung's median save p50 over Redis-in-memory's. */
    public double saveRatioToRedis(Rung r) {
        return rung("redis")
                .map(base -> r.saveP50().median() / base.saveP50().median())
                .orElse(Double.NaN);
    }

    /** Which rung "main memory vs secondary storage" means, with the measured ratio; computed, not written. */
    public String finding() {
        Optional<Rung> file = rung("file");
        Optional<Rung> fsync = rung("file-fsync");
        Optional<Rung> redis = rung("redis");
        Optional<Rung> aof = rung("redis-aof-always");
        if (file.isEmpty() || fsync.isEmpty() || redis.isEmpty() || aof.isEmpty()) {
            return "";
        }
        return String.format(
                Locale.ROOT,
                "\"Main memory vs secondary storage\" means the rung that waits for the device. The disk mode's"
                        + " default (file, %.0f µs a save) never waits for it: the page cache is main memory, so"
                        + " it sits beside Redis in memory (%.0f µs; %.2f×). A save forced to the device"
                        + " (file-fsync, session.store.fsync=true) takes %.0f µs, %.1f× Redis in memory; Redis"
                        + " made as durable (appendfsync always) waits for the device too (%.0f µs, %.1f×). How"
                        + " long the device takes depends on it (a disk that acknowledges from its cache is fast).",
                file.get().saveP50().median(),
                redis.get().saveP50().median(),
                saveRatioToRedis(file.get()),
                fsync.get().saveP50().median(),
                saveRatioToRedis(fsync.get()),
                aof.get().saveP50().median(),
                saveRatioToRedis(aof.get()));
    }

    /** The table as Markdown (docs/memory-ladder.md). */
    public String markdown(String generatedBy) {
        StringBuilder md = new StringBuilder("# The memory hierarchy under a session store\n\n")
                .append(intro(generatedBy))
                .append("\n\n| rung | what | save p50 µs | save p99 µs | load p50 µs | load p99 µs |")
                .append(" CPU µs per save+load | save p50 ÷ Redis |\n|---|---|---|---|---|---|---|---|\n");
        for (Rung r : rungs) {
            md.append("| ").append(String.join(" | ", cells(r))).append(" |\n");
        }
        return md.append('\n').append(finding()).append('\n').toString();
    }

    /** The section of the comparison page. */
    void html(StringBuilder h) {
        h.append("<h2 id=\"memory-ladder\">The memory hierarchy under a session store</h2><p>")
                .append(esc(intro("this run")))
                .append("</p><table id=\"ladder\"><tr><th>rung</th><th>what</th><th>save p50 µs</th>")
                .append("<th>save p99 µs</th><th>load p50 µs</th><th>load p99 µs</th>")
                .append("<th>CPU µs per save+load</th><th>save p50 ÷ Redis</th></tr>");
        for (Rung r : rungs) {
            h.append("<tr>");
            cells(r).forEach(c -> h.append("<td>").append(esc(c)).append("</td>"));
            h.append("</tr>");
        }
        h.append("</table><p id=\"ladder-finding\">").append(esc(finding())).append("</p>");
    }

    private String intro(String generatedBy) {
        return String.format(
                Locale.ROOT,
                "Measured by %s: one session (%d bytes serialized: a user, a 5-item cart, a payload) saved and"
                        + " loaded back, one at a time, on each rung; every rung includes Java serialization, as"
                        + " Tomcat's stores do. %d interleaved rounds after a warm-up; medians, min–max in brackets."
                        + " Files and Redis's append-only log on %s. CPU from /proc: this JVM (kernel time included)"
                        + " and Redis; the device's own work is not in it — it shows as waiting in the latency.",
                generatedBy,
                sessionBytes,
                rounds,
                fileSystem);
    }

    /** One rung's row, as both tables show it. */
    private List<String> cells(Rung r) {
        return List.of(
                r.name(),
                r.what(),
                range(r.saveP50()),
                range(r.saveP99()),
                range(r.loadP50()),
                range(r.loadP99()),
                range(r.cpu()),
                String.format(Locale.ROOT, "%.2f×", saveRatioToRedis(r)));
    }

    private static String range(RunResult.Spread s) {
        String f = s.median() >= 100 ? "%.0f" : "%.1f";
        return String.format(Locale.ROOT, f + " (" + f + "–" + f + ")", s.median(), s.min(), s.max());
    }

    private static String esc(String s) {
        return ReportPage.esc(s);
    }
}
