package org.sessioncluster.load.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.sessioncluster.load.Timeline;

/**
 * Writes a fault or rollout report to a folder: {@code results.json} for machines and {@code index.html}
 * for people — a table of figures per scenario and, per scenario, two timeline charts (requests, errors and
 * session misses per second; requests per second by app version and by node) with the scenario's events
 * drawn as vertical lines. Charts are PNG data in the page, so it reads offline.
 */
public final class TimelineReport {
    /** One scenario: its name, its figures in display order, and its timeline. */
    public record Scenario(String name, Map<String, Object> figures, Timeline timeline) {}

    private TimelineReport() {}

    public static void write(Path dir, String title, Map<String, Object> parameters, List<Scenario> scenarios)
            throws IOException {
        Files.createDirectories(dir);
        writeJson(dir.resolve("results.json"), parameters, scenarios);
        writeHtml(dir.resolve("index.html"), title, parameters, scenarios);
    }

    private static void writeJson(Path file, Map<String, Object> parameters, List<Scenario> scenarios)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.set("parameters", json.valueToTree(parameters));
        ArrayNode list = root.putArray("scenarios");
        for (Scenario s : scenarios) {
            ObjectNode n = list.addObject();
            n.put("name", s.name());
            n.set("figures", json.valueToTree(s.figures()));
            n.set("events", json.valueToTree(s.timeline().events()));
            n.set("seconds", json.valueToTree(s.timeline().seconds()));
        }
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    private static void writeHtml(Path file, String title, Map<String, Object> parameters, List<Scenario> scenarios)
            throws IOException {
        ReportPage page = new ReportPage(title, parameters);
        StringBuilder h = page.builder();
        h.append("<h2>Figures</h2><table id=\"figures\"><tr><th>scenario</th>");
        Set<String> columns = new LinkedHashSet<>();
        scenarios.forEach(s -> columns.addAll(s.figures().keySet()));
        columns.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr>");
        for (Scenario s : scenarios) {
            h.append("<tr><td>").append(esc(s.name())).append("</td>");
            columns.forEach(c -> h.append("<td>")
                    .append(esc(String.valueOf(s.figures().getOrDefault(c, ""))))
                    .append("</td>"));
            h.append("</tr>");
        }
        h.append("</table>");
        int i = 0;
        for (Scenario s : scenarios) {
            i++;
            h.append("<h2>").append(esc(s.name())).append("</h2><ol class=\"events\">");
            s.timeline()
                    .events()
                    .forEach(e -> h.append(
                            String.format(java.util.Locale.ROOT, "<li>%.1f s: %s</li>", e.atSeconds(), esc(e.what()))));
            h.append("</ol>");
            page.image(
                    "timeline-" + i,
                    s.name() + ": requests, errors and session misses per second",
                    chart(
                            s,
                            "requests / s",
                            Map.of(
                                    "requests",
                                    Timeline.Second::requests,
                                    "errors",
                                    Timeline.Second::errors,
                                    "session misses",
                                    Timeline.Second::misses)));
            page.image(
                    "served-" + i, s.name() + ": who answered, per second", chart(s, "answers / s", servedSeries(s)));
        }
        page.write(file, "results.json");
    }

    /** One series per app version ("v 2.0") and per node. */
    private static Map<String, Function<Timeline.Second, Number>> servedSeries(Scenario s) {
        Map<String, Function<Timeline.Second, Number>> series = new LinkedHashMap<>();
        Set<String> versions = new LinkedHashSet<>();
        Set<String> nodes = new LinkedHashSet<>();
        for (Timeline.Second sec : s.timeline().seconds()) {
            versions.addAll(sec.versions().keySet());
            nodes.addAll(sec.nodes().keySet());
        }
        // "none": no answer from any node (counted as errors in the first chart)
        versions.stream()
                .filter(v -> !v.equals("none"))
                .forEach(v -> series.put("version " + v, sec -> sec.versions().getOrDefault(v, 0L)));
        nodes.stream()
                .filter(n -> !n.equals("none"))
                .forEach(n -> series.put(n, sec -> sec.nodes().getOrDefault(n, 0L)));
        return series;
    }

    private static String chart(Scenario s, String axis, Map<String, Function<Timeline.Second, Number>> values)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        List<Timeline.Second> seconds = s.timeline().seconds();
        // Stable order for the fixed series (Map.of has none).
        List<String> names =
                values.keySet().stream().sorted((a, b) -> order(a) - order(b)).toList();
        for (String name : names) {
            XYSeries series = new XYSeries(name);
            for (Timeline.Second sec : seconds) {
                series.add(sec.second(), values.get(name).apply(sec));
            }
            data.addSeries(series);
        }
        JFreeChart chart = LineChart.of(null, "seconds", axis, data, false);
        XYPlot plot = chart.getXYPlot();
        int row = 0;
        for (Timeline.Event e : s.timeline().events()) {
            ValueMarker marker = new ValueMarker(e.atSeconds(), Color.DARK_GRAY, new BasicStroke(1.0f));
            marker.setLabel(e.what().length() > 28 ? e.what().substring(0, 27) + "…" : e.what());
            marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            marker.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(
                    4 + 13 * (row++ % 5), 2, 2, 2)); // events close in time stay readable
            plot.addDomainMarker(marker);
        }
        return LineChart.png(chart, 900, 360);
    }

    private static int order(String series) {
        return switch (series) {
            case "requests" -> 0;
            case "errors" -> 1;
            case "session misses" -> 2;
            default -> 3;
        };
    }

    private static String esc(String s) {
        return ReportPage.esc(s);
    }
}
