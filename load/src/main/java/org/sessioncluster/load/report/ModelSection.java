package org.sessioncluster.load.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The scale model's part of the report: its assumptions, lines, check and projections, labelled as a model. */
final class ModelSection {
    private ModelSection() {}

    static ObjectNode json(ObjectMapper json, Map<String, ScaleModel.Fit> fits, ScaleModel.Assumptions a) {
        ObjectNode model = json.createObjectNode();
        model.put("label", "a model fitted to the measured node counts, not a measurement");
        model.set("assumptions", json.valueToTree(a));
        model.set("fits", json.valueToTree(fits));
        model.set("projections", json.valueToTree(ScaleModel.project(fits, a)));
        ArrayNode text = model.putArray("findings");
        ScaleModel.sentences(fits, a).forEach(text::add);
        return model;
    }

    static void html(StringBuilder h, Map<String, ScaleModel.Fit> fits, ScaleModel.Assumptions a) {
        h.append("<h2 id=\"model\">A model past one machine (a model, not a measurement)</h2>")
                .append(String.format(
                        Locale.ROOT,
                        "<p>Straight lines in N − 1 fitted to the measured medians: cluster CPU per request, and the"
                                + " bytes a node sends to share sessions per request. Projected at %.0f requests/s per"
                                + " node (more nodes serve more users) and %.0f-byte sessions (bytes scaled from the"
                                + " measured %.0f-byte payload), against a %.0f Mbit/s link. A shared server's link"
                                + " (Redis, the store) carries every node's share, divided among a Redis Cluster's"
                                + " primaries. Nothing else is assumed to change"
                                + " (no NIC, switch, kernel or GC limits).</p>",
                        a.requestsPerSecondPerNode(),
                        a.sessionBytes(),
                        a.measuredPayloadBytes(),
                        a.linkBitsPerSecond() / 1e6))
                .append("<ul id=\"model-findings\">");
        ScaleModel.sentences(fits, a)
                .forEach(s -> h.append("<li>").append(esc(s)).append("</li>"));
        h.append("</ul><table id=\"model\"><tr><th>scenario</th><th>CPU µs/req = a + b·(N−1)</th>")
                .append(
                        "<th>bytes/req = a + b·(N−1)</th><th>fit error (measured points)</th><th>check (held-out N)</th>");
        for (int n : a.projectTo()) {
            h.append("<th>N=").append(n).append(": CPU µs/req, busiest link Mbit/s</th>");
        }
        h.append("</tr>");
        List<ScaleModel.Projection> projections = ScaleModel.project(fits, a);
        for (ScaleModel.Fit f : fits.values()) {
            h.append(String.format(
                    Locale.ROOT,
                    "<tr><td>%s</td><td>%.0f + %.1f·(N−1)</td><td>%.0f + %.1f·(N−1)</td><td>%.0f %%</td><td>%s</td>",
                    esc(f.scenario()),
                    f.cpu().intercept(),
                    f.cpu().slope(),
                    f.bytes().intercept(),
                    f.bytes().slope(),
                    Math.ceil(f.fitError() * 100),
                    f.checkNodes() == 0
                            ? "needs 3 node counts"
                            : String.format(
                                    Locale.ROOT,
                                    "N=%d: CPU %.0f %%, bytes %.0f %% off",
                                    f.checkNodes(),
                                    f.cpuCheckError() * 100,
                                    f.bytesCheckError() * 100)));
            for (ScaleModel.Projection p : projections) {
                if (p.scenario().equals(f.scenario())) {
                    h.append(String.format(
                            Locale.ROOT,
                            "<td>%.0f, %.1f</td>",
                            p.cpuMicrosPerRequest(),
                            Math.max(p.nodeLinkBits(), p.serverLinkBits()) / 1e6));
                }
            }
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private static String esc(String s) {
        return ReportPage.esc(s);
    }
}
