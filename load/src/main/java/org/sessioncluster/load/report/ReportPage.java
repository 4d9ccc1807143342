package org.sessioncluster.load.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The HTML page every report writes: one head and style, the title, the run's parameters, escaped text, charts as
 * PNG data in the page (so it reads offline), and the links to the machine-readable files at the end.
 */
final class ReportPage {
    private final StringBuilder h = new StringBuilder();

    /** A page with this title, headed by a table of the run's parameters. */
    ReportPage(String title, Map<String, Object> parameters) {
        h.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title))
                .append("</title><link rel=\"icon\" href=\"data:,\">")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}th{background:#eee}")
                .append("td:first-child{text-align:left}img{max-width:100%;margin:1em 0}</style></head><body>");
        h.append("<h1>").append(esc(title)).append("</h1><table class=\"parameters\">");
        parameters.forEach((k, v) -> h.append("<tr><td>")
                .append(esc(k))
                .append("</td><td>")
                .append(esc(String.valueOf(v)))
                .append("</td></tr>"));
        h.append("</table>");
    }

    /** Markup as it is (the caller escapes what it puts in). */
    ReportPage raw(String html) {
        h.append(html);
        return this;
    }

    /** Text, escaped. */
    ReportPage text(String text) {
        h.append(esc(text));
        return this;
    }

    /** A chart: its PNG (base64) as an image with this id and alternative text. */
    ReportPage image(String id, String alt, String pngBase64) {
        h.append("<img id=\"")
                .append(id)
                .append("\" alt=\"")
                .append(esc(alt))
                .append("\" src=\"data:image/png;base64,")
                .append(pngBase64)
                .append("\">");
        return this;
    }

    /** The builder, for the sections that write themselves (the scale model, the memory ladder). */
    StringBuilder builder() {
        return h;
    }

    /** Ends the page with links to the machine-readable files and writes it. */
    void write(Path file, String... machineReadable) throws IOException {
        h.append("<p>Machine-readable: ");
        for (int i = 0; i < machineReadable.length; i++) {
            h.append(i == 0 ? "" : ", ")
                    .append("<a href=\"")
                    .append(machineReadable[i])
                    .append("\">")
                    .append(machineReadable[i])
                    .append("</a>");
        }
        h.append(".</p></body></html>\n");
        Files.writeString(file, h, StandardCharsets.UTF_8);
    }

    /** Text made safe for HTML, in an element or an attribute. */
    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
