package org.sessioncluster.load.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The CPU meter against a real child JVM that burns a known amount of CPU on one thread (measured inside it by
 * the JVM's own thread clock): the meter's figure for the window must be within 15 % of it.
 */
class CpuMeterTest {
    /** The child: waits for a line on stdin, burns the given milliseconds of its thread's CPU, prints them. */
    public static final class Burner {
        public static void main(String[] args) throws Exception {
            long millis = Long.parseLong(args[0]);
            var threads = ManagementFactory.getThreadMXBean();
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            long start = threads.getCurrentThreadCpuTime();
            long x = 0;
            while (threads.getCurrentThreadCpuTime() - start < millis * 1_000_000L) {
                for (int i = 0; i < 10_000; i++) {
                    x += i ^ (x >>> 3);
                }
            }
            System.out.println("burned " + (threads.getCurrentThreadCpuTime() - start) / 1_000_000 + " " + (x & 1));
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }

    @Test
    void measuresTheCpuAChildJvmBurnsWithin15Percent() throws Exception {
        assumeTrue(ProcessCpu.supported(), "needs Linux's /proc");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java, "-Xmx64m", "-cp", System.getProperty("java.class.path"), Burner.class.getName(), "1500")
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
            assertThat(out.readLine()).isEqualTo("ready");
            CpuMeter meter = new CpuMeter(Map.of("child", List.of(child.pid()), "gone", List.of(Long.MAX_VALUE)));
            meter.start();
            in.write("go\n");
            in.flush();
            String burned = out.readLine();
            CpuUsage used = meter.stop();
            assertThat(burned).startsWith("burned ");
            double expected = Long.parseLong(burned.split(" ")[1]) / 1000.0;
            assertThat(used.workSeconds().get("child"))
                    .as("child CPU seconds, JIT left out")
                    .isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(15));
            assertThat(used.workSeconds().get("gone"))
                    .as("a process that does not exist counts nothing")
                    .isZero();
            assertThat(used.microsPerRequest("child", 1500))
                    .isCloseTo(used.workSeconds().get("child") * 1e6 / 1500, org.assertj.core.data.Offset.offset(1e-6));
            in.write("bye\n");
            in.flush();
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void readsUserAndSystemTimeFromAStatLineWhoseNameHasSpaces() {
        String stat = "4242 (C2 Compiler (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 70 30 0 0 20 0 1 0 5 0 0";
        assertThat(ProcessCpu.ticks(stat)).isEqualTo(100);
    }
}
