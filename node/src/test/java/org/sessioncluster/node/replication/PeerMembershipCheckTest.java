package org.sessioncluster.node.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.tribes.ByteMessage;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.group.interceptors.MessageDispatchInterceptor;
import org.apache.catalina.tribes.group.interceptors.TcpFailureDetector;
import org.apache.catalina.tribes.membership.StaticMember;
import org.apache.catalina.tribes.membership.StaticMembershipService;
import org.apache.catalina.tribes.transport.nio.NioReceiver;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sessioncluster.testsupport.FreePorts;

/**
 * Real Tribes channels on loopback: member A in this JVM, member B in a child JVM that is SIGKILLed and
 * started again, as a crashed node is. A's heartbeat is set to 10 minutes, so A takes B back only when
 * something makes it look: the gap {@link PeerMembershipCheck} closes.
 */
class PeerMembershipCheckTest {
    private static final long NO_HEARTBEAT_MILLIS = 600_000;
    private final List<Process> children = new ArrayList<>();
    private GroupChannel a;

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : children) {
            p.destroyForcibly().waitFor();
        }
        if (a != null) {
            a.stop(Channel.DEFAULT);
        }
    }

    @Test
    void aRestartedMemberIsToldItIsCountedOnlyOnceThePeerCountsItAgain() throws Exception {
        int portA = freePort();
        int portB = freePort();
        TcpFailureDetector detector = new TcpFailureDetector();
        a = channel(portA, 1, portB, 2, detector);
        new PeerMembershipCheck(a, detector);
        a.start(Channel.DEFAULT);

        Peer first = Peer.start(children, portB, 2, portA, 1);
        first.awaitLine("sees 1");
        await().atMost(Duration.ofSeconds(20)).until(() -> a.getMembers().length == 1);
        first.process.destroyForcibly().waitFor(); // SIGKILL: no goodbye to A
        // A learns of the crash when a send to B fails
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            sendQuietly(a);
            return a.getMembers().length == 0;
        });

        Peer second = Peer.start(children, portB, 2, portA, 1);
        second.awaitLine("sees 1"); // B sees A at once ...
        Member b = member(portB, 2);
        assertThat(a.getMember(b))
                .as("... but A has not taken B back: it would send B no changes (the gap the check closes)")
                .isNull();

        second.say("ask");
        assertThat(second.awaitLine("counted ")).isEqualTo("counted true");
        assertThat(a.getMember(b))
                .as("when B is told every peer counts it, A does")
                .isNotNull();
    }

    @Test
    void aPeerWithoutTheCheckIsNotWaitedFor() throws Exception {
        int portA = freePort();
        int portB = freePort();
        a = channel(portA, 1, portB, 2, new TcpFailureDetector()); // no PeerMembershipCheck: a stock Tomcat
        a.start(Channel.DEFAULT);

        Peer peer = Peer.start(children, portB, 2, portA, 1);
        peer.awaitLine("sees 1");
        peer.say("ask");
        // A answers "no such RPC" at once; B goes on instead of waiting for its 30 s deadline
        assertThat(peer.awaitLine("counted ")).isEqualTo("counted true");
    }

    private static void sendQuietly(GroupChannel channel) {
        Member[] members = channel.getMembers();
        if (members.length == 0) {
            return;
        }
        try {
            channel.send(members, new ByteMessage(new byte[] {0}), Channel.SEND_OPTIONS_USE_ACK);
        } catch (ChannelException e) {
            // the failure is how A finds out
        }
    }

    static GroupChannel channel(int port, int id, int peerPort, int peerId, TcpFailureDetector detector) {
        GroupChannel channel = new GroupChannel();
        channel.setHeartbeatSleeptime(NO_HEARTBEAT_MILLIS);
        NioReceiver receiver = new NioReceiver();
        receiver.setAddress("127.0.0.1");
        receiver.setPort(port);
        receiver.setAutoBind(1);
        channel.setChannelReceiver(receiver);
        StaticMembershipService membership = new StaticMembershipService();
        membership.setLocalMember(member(port, id));
        membership.addStaticMember(member(peerPort, peerId));
        channel.setMembershipService(membership);
        channel.addInterceptor(detector);
        channel.addInterceptor(new MessageDispatchInterceptor());
        return channel;
    }

    private static StaticMember member(int port, int id) {
        StaticMember m = new StaticMember();
        m.setHost("127.0.0.1");
        m.setPort(port);
        m.setUniqueId("{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0," + id + "}");
        return m;
    }

    private static int freePort() {
        return FreePorts.loopback();
    }

    /** Member B in a JVM of its own, driven over its stdin and stdout. */
    static final class Peer {
        final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final Writer stdin;

        private Peer(Process process) {
            this.process = process;
            this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        static Peer start(List<Process> children, int port, int id, int peerPort, int peerId) throws IOException {
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            Peer.class.getName(),
                            Integer.toString(port),
                            Integer.toString(id),
                            Integer.toString(peerPort),
                            Integer.toString(peerId))
                    .redirectErrorStream(true)
                    .start();
            children.add(p);
            return new Peer(p);
        }

        /** The first line starting with {@code prefix}; fails with everything the peer printed. */
        String awaitLine(String prefix) {
            try {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> lines.stream().anyMatch(l -> l.startsWith(prefix)));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("the peer did not print '" + prefix + "...'; it printed " + lines, e);
            }
            return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
        }

        void say(String line) throws IOException {
            stdin.write(line + "\n");
            stdin.flush();
        }

        /** args: port id peerPort peerId. Prints "sees N" when it sees N peers, and "counted true|false" after "ask". */
        public static void main(String[] args) throws Exception {
            int port = Integer.parseInt(args[0]);
            TcpFailureDetector detector = new TcpFailureDetector();
            GroupChannel channel = channel(
                    port, Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), detector);
            PeerMembershipCheck check = new PeerMembershipCheck(channel, detector);
            channel.start(Channel.DEFAULT);
            while (channel.getMembers().length == 0) {
                Thread.sleep(20); // a child process without Awaitility: poll its own view
            }
            System.out.println("sees " + channel.getMembers().length);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("ask")) {
                    System.out.println("counted " + check.awaitCountedByPeers(Duration.ofSeconds(30)));
                }
            }
            channel.stop(Channel.DEFAULT);
        }
    }
}
