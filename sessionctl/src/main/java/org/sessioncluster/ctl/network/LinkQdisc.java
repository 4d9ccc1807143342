package org.sessioncluster.ctl.network;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The queueing discipline on one end of a lab link: its {@link LinkShape}, and when asked, a random loss of a
 * fraction of the packets it sends.
 *
 * <p>Loss does not need netem: an HTB root with the link's rate sends every packet to its default class, and a
 * classic-BPF classifier ({@code cls_bpf}; the kernel's random number, {@code ld rand}) sends the chosen fraction
 * to a second class whose queue holds nothing ({@code pfifo limit 0}), where they are dropped and counted. Where
 * the link also has a delay (netem, if the kernel has it), netem's own {@code loss} is used.
 */
final class LinkQdisc {
    private static final int DROP_HANDLE = 20;
    private static final Pattern DROPPED = Pattern.compile(
            "qdisc pfifo " + DROP_HANDLE + ": .*?\\n\\s*Sent \\d+ bytes \\d+ pkt \\(dropped (\\d+)", Pattern.DOTALL);

    private LinkQdisc() {}

    /**
     * Puts the shape (and {@code loss}, a fraction from 0 to 1, of the packets dropped) on the device, in place
     * of what was there.
     */
    static void apply(List<String> tc, String device, LinkShape shape, double loss) {
        if (loss < 0 || loss >= 1) {
            throw new IllegalArgumentException("a packet loss from 0 to 1 (exclusive), not " + loss);
        }
        long burst = Math.max(65_536, shape.bitsPerSecond() / 8 / 100); // a veth hands over up to 64 KiB at once
        if (shape.delayMicros() > 0) {
            List<String> netem = new ArrayList<>(
                    List.of("netem", "rate", shape.rateText(), "delay", shape.delayText(), "limit", "100000"));
            if (loss > 0) {
                netem.addAll(List.of("loss", percent(loss)));
            }
            replaceRoot(tc, device, netem);
        } else if (loss == 0) {
            replaceRoot(
                    tc,
                    device,
                    List.of("tbf", "rate", shape.rateText(), "burst", Long.toString(burst), "latency", "200ms"));
        } else {
            // tc replaces a root of another kind only after it is gone
            Shell.attempt(command(tc, "qdisc", "del", "dev", device, "root"));
            Shell.run(command(tc, "qdisc", "add", "dev", device, "root", "handle", "1:", "htb", "default", "10"));
            for (int minor : List.of(10, DROP_HANDLE)) {
                Shell.run(command(
                        tc,
                        "class",
                        "add",
                        "dev",
                        device,
                        "parent",
                        "1:",
                        "classid",
                        "1:" + minor,
                        "htb",
                        "rate",
                        shape.rateText(),
                        "burst",
                        Long.toString(burst),
                        "quantum",
                        "60000"));
            }
            Shell.run(command(
                    tc,
                    "qdisc",
                    "add",
                    "dev",
                    device,
                    "parent",
                    "1:" + DROP_HANDLE,
                    "handle",
                    DROP_HANDLE + ":",
                    "pfifo",
                    "limit",
                    "0"));
            // A = a random u32; if A > threshold: no match (ret 0), else: match (ret -1, the filter's classid)
            long threshold = Math.round(loss * 4_294_967_295.0);
            String program = "4,32 0 0 4294963256,37 1 0 " + threshold + ",6 0 0 4294967295,6 0 0 0,";
            Shell.run(command(
                    tc,
                    "filter",
                    "add",
                    "dev",
                    device,
                    "parent",
                    "1:",
                    "protocol",
                    "all",
                    "prio",
                    "1",
                    "bpf",
                    "bytecode",
                    program,
                    "classid",
                    "1:" + DROP_HANDLE));
        }
    }

    /** Packets the loss dropped on the device so far (0 when it has none). */
    static long dropped(List<String> tc, String device) {
        Shell.Result r = Shell.attempt(command(tc, "-s", "qdisc", "show", "dev", device));
        Matcher m = DROPPED.matcher(r.output());
        if (m.find()) {
            return Long.parseLong(m.group(1));
        }
        Matcher netem = Pattern.compile("qdisc netem .*?\\(dropped (\\d+)", Pattern.DOTALL)
                .matcher(r.output());
        return netem.find() ? Long.parseLong(netem.group(1)) : 0;
    }

    private static void replaceRoot(List<String> tc, String device, List<String> qdisc) {
        Shell.attempt(command(tc, "qdisc", "del", "dev", device, "root"));
        List<String> add = command(tc, "qdisc", "add", "dev", device, "root");
        add.addAll(qdisc);
        Shell.run(add);
    }

    private static String percent(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.3f%%", fraction * 100);
    }

    private static List<String> command(List<String> tc, String... args) {
        List<String> out = new ArrayList<>(tc);
        out.addAll(List.of(args));
        return out;
    }
}
