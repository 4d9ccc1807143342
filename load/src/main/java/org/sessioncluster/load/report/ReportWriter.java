package org.sessioncluster.load.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Writes a comparison to a folder: {@code results.json} and {@code results.csv} for machines, and
 * {@code index.html} for people — tables, conclusions, and charts drawn by JFreeChart and embedded as
 * PNG data, so the page reads offline.
 */
public final class ReportWriter {
    /** The charts of the page: id, title, y axis, value. */
    record Chart(String id, String title, String axis, ToDoubleFunction<RunResult> value) {}

    /** The picture the page leads with: what a request costs the whole cluster, against N, one line per mode. */
    static final Chart CPU_CHART = new Chart(
            "cpu-per-request",
            "Cluster CPU per request (nodes + balancer + Redis + load generator)",
            "CPU µs per request (median of the rounds)",
            RunResult::cpuMicrosPerRequest);

    static final List<Chart> CHARTS = List.of(
            new Chart(
                    "bytes-per-write",
                    "Bytes the nodes send per session write",
                    "bytes per write",
                    RunResult::bytesSentPerWrite),
            new Chart(
                    "session-bytes-per-node",
                    "Session bytes held per node (peak)",
                    "bytes per node",
                    RunResult::sessionBytesPerNode),
            new Chart(
                    "throughput",
                    "Throughput",
                    "requests per second",
                    r -> r.load().throughput()),
            new Chart("p50", "Median latency", "p50 (ms)", r -> r.load().p50Ms()),
            new Chart(
                    "p99", "99th percentile latency", "p99 (ms)", r -> r.load().p99Ms()));

    private ReportWriter() {}

    public static void write(Path dir, String title, Map<String, Object> parameters, List<RunResult> results)
            throws IOException {
        write(dir, title, parameters, results, null, null);
    }

    /**
     * With a scale model fitted to the results when {@code model} is not null, and the memory ladder when
     * {@code ladder} is not null (the comparison's report).
     */
    public static void write(
            Path dir,
            String title,
            Map<String, Object> parameters,
            List<RunResult> results,
            ScaleModel.Assumptions model,
            MemoryLadder ladder)
            throws IOException {
        Files.createDirectories(dir);
        Contents report = new Contents(
                title,
                parameters,
                results,
                Conclusions.sentences(results),
                model == null ? Map.of() : ScaleModel.fit(results),
                model,
                ladder);
        writeJson(dir.resolve("results.json"), report);
        writeCsv(dir.resolve("results.csv"), results);
        writeHtml(dir.resolve("index.html"), report);
    }

    /** What one report holds: the runs, and what is derived from them. */
    private record Contents(
            String title,
            Map<String, Object> parameters,
            List<RunResult> results,
            List<String> conclusions,
            Map<String, ScaleModel.Fit> fits,
            ScaleModel.Assumptions model,
            MemoryLadder ladder) {}

    private static void writeJson(Path file, Contents report) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.set("parameters", json.valueToTree(report.parameters()));
        ArrayNode runs = root.putArray("runs");
        for (RunResult r : report.results()) {
            ObjectNode n = runs.addObject();
            n.put("scenario", r.scenario()).put("nodes", r.nodes());
            n.set("load", json.valueToTree(r.load()));
            n.set("meter", json.valueToTree(r.meter()));
            n.put("bytesSentPerWrite", r.bytesSentPerWrite())
                    .put("bytesReceivedPerWrite", r.bytesReceivedPerWrite())
                    .put("sessionBytesPerNode", r.sessionBytesPerNode())
                    .put("heapMbPerNode", r.heapMbPerNode())
                    .put("channelBytesPerRequest", r.channelBytesPerRequest())
                    .put("redisBytesPerRequest", r.redisBytesPerRequest())
                    .put("redisCommandsPerRequest", r.redisCommandsPerRequest());
            if (r.hasCpu()) {
                n.set("cpuMicrosPerRequest", json.valueToTree(r.spread(RoundResult::cpuMicrosPerRequest)));
                n.set("cpuMicrosPerRequestByRole", json.valueToTree(r.cpuMicrosPerRequestByRole()));
                n.set(
                        "throughputRounds",
                        json.valueToTree(r.spread(x -> x.load().throughput())));
            }
            ArrayNode list = n.putArray("rounds");
            for (RoundResult round : r.rounds()) {
                ObjectNode o = list.addObject()
                        .put("round", round.round())
                        .put("requests", round.load().requests())
                        .put("throughput", round.load().throughput())
                        .put("p50Ms", round.load().p50Ms())
                        .put("p99Ms", round.load().p99Ms())
                        .put("cpuMicrosPerRequest", round.cpuMicrosPerRequest())
                        .put("jitSeconds", round.cpu().jitSeconds());
                ObjectNode roles = o.putObject("cpuMicrosPerRequestByRole");
                round.cpu().workSeconds().keySet().forEach(role -> roles.put(role, round.cpuMicrosPerRequest(role)));
            }
        }
        ObjectNode growth = root.putObject("growth");
        Conclusions.growth(report.results()).forEach((k, g) -> growth.set(k, json.valueToTree(g)));
        ArrayNode text = root.putArray("conclusions");
        report.conclusions().forEach(text::add);
        if (report.model() != null && !report.fits().isEmpty()) {
            root.set("model", ModelSection.json(json, report.fits(), report.model()));
        }
        if (report.ladder() != null) {
            ObjectNode l = json.valueToTree(report.ladder());
            l.put("finding", report.ladder().finding());
            root.set("memoryLadder", l);
        }
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    /** One column of results.csv: its name and what it says of a run. */
    private record Column(String name, Function<RunResult, Object> value) {
        static Column of(String name, Function<RunResult, Object> value) {
            return new Column(name, value);
        }

        /** A figure written with this many decimals. */
        static Column fixed(String name, int decimals, Function<RunResult, Double> value) {
            return new Column(name, r -> ReportWriter.fixed(decimals, value.apply(r)));
        }

        static Column cpu(String name, Function<RunResult.Spread, Double> value) {
            return fixed(name, 1, r -> value.apply(r.spread(RoundResult::cpuMicrosPerRequest)));
        }

        static Column role(String role) {
            return fixed(
                    role + "_cpu_us_per_request",
                    1,
                    r -> r.cpuMicrosPerRequestByRole().get(role));
        }
    }

    private static final List<Column> CSV_COLUMNS = List.of(
            Column.of("scenario", RunResult::scenario),
            Column.of("nodes", RunResult::nodes),
            Column.of("requests", r -> r.load().requests()),
            Column.of("writes", r -> r.load().writes()),
            Column.of("ok", r -> r.load().ok()),
            Column.of("misses", r -> r.load().misses()),
            Column.of("stale", r -> r.load().stale()),
            Column.of("errors", r -> r.load().errors()),
            Column.fixed("seconds", 2, r -> r.load().seconds()),
            Column.fixed("throughput", 1, r -> r.load().throughput()),
            Column.fixed("p50_ms", 3, r -> r.load().p50Ms()),
            Column.fixed("p90_ms", 3, r -> r.load().p90Ms()),
            Column.fixed("p99_ms", 3, r -> r.load().p99Ms()),
            Column.fixed("max_ms", 3, r -> r.load().maxMs()),
            Column.fixed("bytes_sent_per_write", 1, RunResult::bytesSentPerWrite),
            Column.fixed("bytes_received_per_write", 1, RunResult::bytesReceivedPerWrite),
            Column.fixed("session_bytes_per_node", 0, RunResult::sessionBytesPerNode),
            Column.fixed("heap_mb_per_node", 1, RunResult::heapMbPerNode),
            Column.of("cluster_sent_bytes", r -> r.meter().sentBytes()),
            Column.of("redis_input_bytes", r -> r.meter().redisInputBytes()),
            Column.of("store_written_bytes", r -> r.meter().storeWrittenBytes()),
            Column.of("redis_memory_growth", r -> r.meter().redisMemoryGrowth()),
            Column.cpu("cpu_us_per_request", RunResult.Spread::median),
            Column.cpu("cpu_us_per_request_min", RunResult.Spread::min),
            Column.cpu("cpu_us_per_request_max", RunResult.Spread::max),
            Column.role("nodes"),
            Column.role("balancer"),
            Column.role("redis"),
            Column.role("load"),
            Column.fixed("redis_commands_per_request", 3, RunResult::redisCommandsPerRequest));

    private static void writeCsv(Path file, List<RunResult> results) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT
                .builder()
                .setHeader(CSV_COLUMNS.stream().map(Column::name).toArray(String[]::new))
                .setRecordSeparator('\n')
                .get();
        try (CSVPrinter csv = new CSVPrinter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), format)) {
            for (RunResult r : results) {
                csv.printRecord(
                        CSV_COLUMNS.stream().map(c -> c.value().apply(r)).toList());
            }
        }
    }

    /** A number with this many decimals, as the CSV has always written it; empty when not measured. */
    private static String fixed(int decimals, Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static void writeHtml(Path file, Contents report) throws IOException {
        ReportPage page = new ReportPage(report.title(), report.parameters());
        StringBuilder h = page.builder();
        if (report.results().stream().anyMatch(RunResult::hasCpu)) {
            h.append("<h2>What a request costs the cluster</h2>")
                    .append("<p>CPU time of every process of the cluster (nodes, balancer, Redis, the load generator)")
                    .append(" per request, read from <code>/proc</code> over each metered round (JIT compiler threads")
                    .append(" left out: warming up is paid once); the median of the rounds. Lower is cheaper.</p>");
            page.image(
                    "chart-" + CPU_CHART.id(),
                    CPU_CHART.title(),
                    png(
                            CPU_CHART,
                            report.results().stream().filter(RunResult::hasCpu).toList()));
        }
        h.append("<h2>Conclusions (from the numbers below)</h2><ul id=\"conclusions\">");
        report.conclusions().forEach(c -> h.append("<li>").append(esc(c)).append("</li>"));
        h.append("</ul><h2>Charts</h2>");
        for (Chart c : CHARTS) {
            page.image("chart-" + c.id(), c.title(), png(c, report.results()));
        }
        if (report.model() != null && !report.fits().isEmpty()) {
            ModelSection.html(h, report.fits(), report.model());
        }
        if (report.ladder() != null) {
            report.ladder().html(h);
        }
        h.append(
                        "<h2>Results</h2><table id=\"results\"><tr><th>scenario</th><th>nodes</th><th>requests</th><th>req/s</th>")
                .append("<th>p50 ms</th><th>p99 ms</th><th>cluster CPU µs / req</th><th>nodes</th><th>balancer</th>")
                .append("<th>Redis</th><th>load</th><th>Redis cmds / req</th>")
                .append("<th>misses</th><th>stale</th><th>errors</th><th>bytes sent / write</th>")
                .append("<th>bytes received / write</th><th>session bytes / node</th><th>heap MB / node</th></tr>");
        for (RunResult r : report.results()) {
            var l = r.load();
            RunResult.Spread rate = r.spread(x -> x.load().throughput());
            RunResult.Spread cpu = r.spread(RoundResult::cpuMicrosPerRequest);
            Map<String, Double> roles = r.cpuMicrosPerRequestByRole();
            h.append(String.format(
                    Locale.ROOT,
                    "<tr><td>%s</td><td>%d</td><td>%d</td><td>%s</td><td>%.2f</td><td>%.2f</td><td>%s</td>"
                            + "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%.2f</td>"
                            + "<td>%d</td><td>%d</td><td>%d</td><td>%.0f</td><td>%.0f</td><td>%.0f</td><td>%.0f</td></tr>",
                    esc(r.scenario()),
                    r.nodes(),
                    l.requests(),
                    r.hasCpu() ? range(rate) : String.format(Locale.ROOT, "%.0f", l.throughput()),
                    l.p50Ms(),
                    l.p99Ms(),
                    r.hasCpu() ? range(cpu) : "–",
                    whole(roles.get("nodes")),
                    whole(roles.get("balancer")),
                    whole(roles.get("redis")),
                    whole(roles.get("load")),
                    r.redisCommandsPerRequest(),
                    l.misses(),
                    l.stale(),
                    l.errors(),
                    r.bytesSentPerWrite(),
                    r.bytesReceivedPerWrite(),
                    r.sessionBytesPerNode(),
                    r.heapMbPerNode()));
        }
        h.append("</table>");
        page.write(file, "results.json", "results.csv");
    }

    private static String png(Chart c, List<RunResult> results) throws IOException {
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (RunResult r : results) {
            series.computeIfAbsent(r.scenario(), XYSeries::new)
                    .add(r.nodes(), c.value().applyAsDouble(r));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        JFreeChart chart = LineChart.of(c.title(), "nodes", c.axis(), data, true);
        ((org.jfree.chart.axis.NumberAxis) chart.getXYPlot().getDomainAxis())
                .setStandardTickUnits(org.jfree.chart.axis.NumberAxis.createIntegerTickUnits());
        return LineChart.png(chart, 800, 420);
    }

    /** A whole number, or a dash for a figure not measured. */
    private static String whole(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }

    /** "median (min–max)" of a spread, whole numbers. */
    private static String range(RunResult.Spread s) {
        return String.format(Locale.ROOT, "%.0f (%.0f–%.0f)", s.median(), s.min(), s.max());
    }

    private static String esc(String s) {
        return ReportPage.esc(s);
    }
}
