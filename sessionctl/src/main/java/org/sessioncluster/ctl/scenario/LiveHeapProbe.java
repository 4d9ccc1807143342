package org.sessioncluster.ctl.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of another JVM on this machine: the bytes of the objects it still references, counted by the
 * JDK's {@code jcmd PID GC.class_histogram}, which runs a full collection first. Heap in use also holds garbage
 * that waits for an old-generation collection and can rise for minutes without a leak; the live heap rises
 * only when the process really holds more. Reached through the attach mechanism of the same user's JVM (no port
 * or endpoint of the node's); each measurement pauses the target for one full collection and a heap walk
 * (tens of milliseconds for a node) and costs this machine about 0.2 s of CPU for jcmd's own JVM.
 */
final class LiveHeapProbe {
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)\\s*$", Pattern.MULTILINE);
    private static final long TIMEOUT_SECONDS = 30;

    private LiveHeapProbe() {}

    /** The JDK's jcmd beside this JVM's java, or null on a runtime without it. */
    static Path jcmd() {
        Path p = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return Files.isExecutable(p) ? p : null;
    }

    /** Runs a full collection in the JVM with this process id and returns the bytes of its live objects. */
    static long liveBytes(long pid) throws IOException {
        Path jcmd = jcmd();
        if (jcmd == null) {
            throw new IOException("no jcmd in " + Path.of(System.getProperty("java.home"), "bin")
                    + " (a JDK has it; a JRE does not): the live heap cannot be measured");
        }
        Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), "GC.class_histogram"))
                .redirectErrorStream(true)
                .start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("jcmd " + pid + " GC.class_histogram took over " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while measuring the live heap of " + pid, e);
        }
        Matcher total = TOTAL.matcher(out);
        if (p.exitValue() != 0 || !total.find()) {
            String said = out.strip();
            throw new IOException("jcmd " + pid + " GC.class_histogram failed (exit " + p.exitValue() + "): "
                    + said.substring(Math.max(0, said.length() - 300)));
        }
        return Long.parseLong(total.group(1));
    }
}
