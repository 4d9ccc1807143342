package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code wrk} for the benchmarks (one thread, bounded by a duration) and reads its summary. */
public final class Wrk {
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern PERCENTILE =
            Pattern.compile("^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);

    /** What one run printed: requests/s, the number of requests, p50 and p99 in ms. */
    public record Result(double rps, long requests, double p50Ms, double p99Ms) {}

    private Wrk() {}

    /** One run against url; a Lua script when script is not null. Fails on any error or non-2xx answer. */
    public static Result run(Path wrk, String url, int connections, int seconds, Path script) throws Exception {
        List<String> command =
                new ArrayList<>(List.of(wrk.toString(), "-t1", "-c" + connections, "-d" + seconds + "s", "--latency"));
        if (script != null) {
            command.addAll(List.of("-s", script.toString()));
        }
        command.add(url);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out)
                .as("wrk saw errors or non-2xx answers:\n" + out)
                .doesNotContain("Non-2xx")
                .doesNotContain("Socket errors");
        return parse(out);
    }

    public static Result parse(String out) {
        Matcher rps = RPS.matcher(out);
        Matcher requests = REQUESTS.matcher(out);
        assertThat(rps.find() && requests.find()).as(out).isTrue();
        double p50 = -1;
        double p99 = -1;
        Matcher m = PERCENTILE.matcher(out);
        while (m.find()) {
            double v = Double.parseDouble(m.group(2))
                    * switch (m.group(3)) {
                        case "us" -> 0.001;
                        case "s" -> 1000.0;
                        default -> 1.0;
                    };
            if (m.group(1).equals("50")) {
                p50 = v;
            } else {
                p99 = v;
            }
        }
        return new Result(Double.parseDouble(rps.group(1)), Long.parseLong(requests.group(1)), p50, p99);
    }
}
