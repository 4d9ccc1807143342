package org.sessioncluster.ctl.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The live heap of a real child JVM ({@link Holder}): what it holds counts, what it dropped does not; and
 * {@link HeapWatch} sees a JVM whose live heap keeps rising as growing, and one whose does not as flat.
 */
class LiveHeapProbeIT {
    private static final long MB = 1024 * 1024;
    private final List<Holder.Child> children = new ArrayList<>();

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Holder.Child c : children) {
            c.process.destroyForcibly().waitFor();
        }
    }

    @Test
    void countsWhatAProcessHoldsAndNotWhatItDropped() throws Exception {
        Holder.Child child = Holder.start(children, 0);
        long pid = child.process.pid();
        long base = LiveHeapProbe.liveBytes(pid);
        child.say("drop 64");
        child.awaitLine("dropped 64");
        assertThat(LiveHeapProbe.liveBytes(pid) - base)
                .as("64 MB allocated and dropped is not live")
                .isLessThan(2 * MB);
        child.say("hold 48");
        child.awaitLine("holding 48");
        assertThat(LiveHeapProbe.liveBytes(pid) - base).as("48 MB held is live").isBetween(48 * MB, 49 * MB);
    }

    @Test
    void aProcessThatIsGoneIsAnErrorThatSaysSo() throws Exception {
        Holder.Child child = Holder.start(children, 0);
        long pid = child.process.pid();
        child.process.destroyForcibly().waitFor();
        assertThatThrownBy(() -> LiveHeapProbe.liveBytes(pid))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("jcmd " + pid + " GC.class_histogram failed");
    }

    @Test
    void heapWatchJudgesAGrowingLiveHeapAsGrowingAndASteadyOneAsFlat() throws Exception {
        Holder.Child leaking = Holder.start(children, 2); // holds 2 MB more every 100 ms: 1200 MB/min
        Holder.Child steady = Holder.start(children, 0);
        long start = System.nanoTime();
        Map<String, Long> pids = Map.of("leaking", leaking.process.pid(), "steady", steady.process.pid());
        Map<String, String> noMetrics = Map.of("leaking", "http://127.0.0.1:1", "steady", "http://127.0.0.1:1");
        try (HeapWatch watch = new HeapWatch(noMetrics, pids::get, () -> (System.nanoTime() - start) / 1e9, 0.5, 1)) {
            // live samples every 0.5 s after 1 s of warm-up; six make a trend of 2.5 s
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> watch.result().values().stream().allMatch(h -> h.judgedSamples() >= 6));
            Map<String, HeapWatch.NodeHeap> result = watch.result();
            assertThat(watch.liveProblem()).isNull();
            assertThat(result.get("leaking").trendMbPerMinute())
                    .as("a JVM that holds 1200 MB/min more")
                    .isGreaterThan(600);
            // an idle JVM's live heap wobbles by a couple of MB between samples: over 2.5 s that is tens of MB/min
            assertThat(result.get("steady").trendMbPerMinute())
                    .as("a JVM that holds nothing more")
                    .isBetween(-100.0, 100.0);
            assertThat(result.get("steady").lastLiveMb()).isBetween(0.1, 64.0);
        }
    }

    /** A JVM that holds or drops memory when told to; with a rate, it also holds that many MB more every 100 ms. */
    static final class Holder {
        private Holder() {}

        static final class Child {
            final Process process;
            private final List<String> lines = new CopyOnWriteArrayList<>();
            private final PrintWriter stdin;

            Child(Process process) {
                this.process = process;
                this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
                Thread reader = new Thread(() -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        // the child ended
                    }
                });
                reader.setDaemon(true);
                reader.start();
            }

            void say(String line) {
                stdin.println(line);
            }

            void awaitLine(String line) {
                await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains(line));
            }
        }

        static Child start(List<Child> children, int mbPer100Ms) throws IOException {
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(
                            java,
                            "-Xmx1g",
                            "-XX:+UseSerialGC",
                            "-cp",
                            System.getProperty("java.class.path"),
                            Holder.class.getName(),
                            Integer.toString(mbPer100Ms))
                    .redirectErrorStream(true)
                    .start();
            Child c = new Child(p);
            children.add(c);
            c.awaitLine("ready");
            return c;
        }

        private static final List<byte[]> HELD = new ArrayList<>();

        public static void main(String[] args) throws Exception {
            int rate = Integer.parseInt(args[0]);
            if (rate > 0) {
                Thread grow = new Thread(() -> {
                    for (int i = 0; i < 300; i++) { // at most 30 s, then it stops by itself
                        synchronized (HELD) {
                            HELD.add(new byte[rate * (int) MB]);
                        }
                        try {
                            Thread.sleep(100); // the leak's pace
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                grow.setDaemon(true);
                grow.start();
            }
            System.out.println("ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                String[] w = line.split(" ", -1);
                int mb = Integer.parseInt(w[1]);
                if (w[0].equals("hold")) {
                    synchronized (HELD) {
                        for (int i = 0; i < mb; i++) {
                            HELD.add(new byte[(int) MB]);
                        }
                    }
                    System.out.println("holding " + mb);
                } else {
                    byte[][] garbage = new byte[mb][];
                    for (int i = 0; i < mb; i++) {
                        garbage[i] = new byte[(int) MB];
                    }
                    System.out.println("dropped " + garbage.length);
                }
            }
        }
    }
}
