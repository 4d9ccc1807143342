package org.sessioncluster.ctl.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network of a run's own, on one Linux machine: a bridge (a switch) with an address for this process, and
 * per member (a node, the balancer, Redis) a network namespace joined to the bridge by a veth pair. Both ends
 * of every veth are shaped to one {@link LinkShape} ({@link LinkQdisc}): tbf gives the rate, netem the delay
 * where the kernel has it. A run can cut members off from each other ({@link #cut}) or make a link lose packets
 * ({@link #lose}), and {@link #heal} both. Traffic between members, and from this process to them, crosses these links and nothing else.
 *
 * <p>Names carry this process's pid (namespaces {@code scl-<pid>-<lab>-<role>}, the bridge's alias), so that
 * {@link #sweep} removes what a run killed before its clean-up left; {@link #close} (also run at JVM exit)
 * removes everything the lab made.
 */
public final class NetworkLab implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NetworkLab.class.getName());
    static final String NAMESPACE_PREFIX = "scl-";
    static final String BRIDGE_PREFIX = "sclb";
    static final String ALIAS_PREFIX = "session-cluster lab pid=";
    static final Pattern OWNED_NAMESPACE = Pattern.compile("scl-(\\d+)-\\d+-[a-z0-9-]+");
    /** 10.213.<lab>.0/24: a private range a machine rarely uses; a lab whose /24 is in use here is skipped. */
    private static final String NET = "10.213.";

    private static final int FIRST_MEMBER = 10;
    private static final Object CREATING = new Object();
    private static Boolean netem;

    /** One member of the lab: its namespace, its address, and the host end of its link. */
    public record Member(String role, String namespace, String address, String hostLink) {}

    private final int lab;
    private final LinkShape shape;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final List<List<String>> cuts = new ArrayList<>();
    private final java.util.Set<String> lossy = new java.util.LinkedHashSet<>();
    private final Thread atExit = new Thread(this::closeQuietly, "network-lab-cleanup");
    private boolean closed;

    private NetworkLab(int lab, LinkShape shape) {
        this.lab = lab;
        this.shape = shape;
    }

    /** Empty when labs can be made here; otherwise why not (not Linux, not root, no iproute2). */
    public static Optional<String> unavailable() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.of("network namespaces need Linux");
        }
        if (!isRoot()) {
            return Optional.of("making network namespaces needs root (or use the loopback network)");
        }
        Shell.Result ip = Shell.attempt(List.of(Shell.ip(), "netns", "list"));
        if (ip.exit() != 0) {
            return Optional.of("iproute2's 'ip netns' does not work here (apt-get install iproute2): "
                    + ip.output().strip());
        }
        Shell.Result tc = Shell.attempt(List.of(Shell.tc(), "qdisc", "show", "dev", "lo"));
        if (tc.exit() != 0) {
            return Optional.of(
                    "iproute2's tc does not work here: " + tc.output().strip());
        }
        return Optional.empty();
    }

    /** Whether this kernel has netem, which a link delay needs (checked once, in a namespace made for it). */
    public static synchronized boolean netemAvailable() {
        if (netem == null) {
            String probe = NAMESPACE_PREFIX + ProcessHandle.current().pid() + "-0-netem-probe";
            Shell.run(List.of(Shell.ip(), "netns", "add", probe));
            try {
                netem = Shell.attempt(List.of(
                                        Shell.tc(),
                                        "-n",
                                        probe,
                                        "qdisc",
                                        "add",
                                        "dev",
                                        "lo",
                                        "root",
                                        "netem",
                                        "delay",
                                        "1ms"))
                                .exit()
                        == 0;
            } finally {
                Shell.attempt(List.of(Shell.ip(), "netns", "del", probe));
            }
        }
        return netem;
    }

    /** Makes the bridge; members are added with {@link #member}. First removes what killed runs left. */
    public static NetworkLab create(LinkShape shape) {
        unavailable().ifPresent(why -> {
            throw new NetworkLabException(why);
        });
        if (shape.delayMicros() > 0 && !netemAvailable()) {
            throw new NetworkLabException("this kernel has no netem queueing discipline (sch_netem), which a link"
                    + " delay needs; links can still get a rate (tbf): set the delay to 0");
        }
        sweep();
        synchronized (CREATING) {
            List<String> used = usedSubnets();
            for (int k = 1; k <= 254; k++) {
                String bridge = BRIDGE_PREFIX + k;
                if (used.contains(NET + k + ".") || Files.exists(Path.of("/sys/class/net", bridge))) {
                    continue;
                }
                if (Shell.attempt(List.of(Shell.ip(), "link", "add", bridge, "type", "bridge"))
                                .exit()
                        != 0) {
                    continue; // made by someone else meanwhile
                }
                NetworkLab created = new NetworkLab(k, shape);
                try {
                    ip(
                            "link",
                            "set",
                            "dev",
                            bridge,
                            "alias",
                            ALIAS_PREFIX + ProcessHandle.current().pid());
                    ip("addr", "add", created.hostAddress() + "/24", "dev", bridge);
                    ip("link", "set", bridge, "up");
                } catch (RuntimeException e) {
                    created.closeQuietly();
                    throw e;
                }
                Runtime.getRuntime().addShutdownHook(created.atExit);
                return created;
            }
        }
        throw new NetworkLabException("no free 10.213.x.0/24 for a lab (254 in use?)");
    }

    /** This process's address on the lab's bridge: where the load comes from. */
    public String hostAddress() {
        return NET + lab + ".1";
    }

    public LinkShape shape() {
        return shape;
    }

    /** The member of this role (made on first use): a namespace with one shaped link to the bridge. */
    public synchronized Member member(String role) {
        Member known = members.get(role);
        if (known != null) {
            return known;
        }
        if (closed) {
            throw new NetworkLabException("the network lab " + lab + " is already removed");
        }
        String clean = role.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        int index = members.size();
        if (FIRST_MEMBER + index > 250) {
            throw new NetworkLabException("a lab holds at most " + (251 - FIRST_MEMBER) + " members");
        }
        String namespace = NAMESPACE_PREFIX + ProcessHandle.current().pid() + "-" + lab + "-" + clean;
        String link = "sclv" + lab + "m" + index; // at most 11 characters: Linux allows 15
        Member m = new Member(role, namespace, NET + lab + "." + (FIRST_MEMBER + index), link);
        members.put(role, m); // before it exists: close() removes a half-made member too
        ip("netns", "add", namespace);
        ip("-n", namespace, "link", "set", "lo", "up");
        ip("link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", namespace);
        ip("link", "set", link, "master", BRIDGE_PREFIX + lab);
        ip("link", "set", link, "up");
        ip("-n", namespace, "addr", "add", m.address() + "/24", "dev", "eth0");
        ip("-n", namespace, "link", "set", "eth0", "up");
        LinkQdisc.apply(List.of(Shell.tc()), link, shape, 0);
        LinkQdisc.apply(List.of(Shell.tc(), "-n", namespace), "eth0", shape, 0);
        return m;
    }

    /** The command, run inside the member's namespace. */
    public List<String> inside(String role, List<String> command) {
        List<String> out = new ArrayList<>(
                List.of(Shell.ip(), "netns", "exec", member(role).namespace()));
        out.addAll(command);
        return out;
    }

    /**
     * Cuts {@code role} off from each of {@code others} both ways (a partition), while every other member still
     * reaches it: each side gets a blackhole route to the other's address. Packets of open connections vanish
     * as in a real partition; a new connection fails at once instead of timing out.
     */
    public synchronized void cut(String role, List<String> others) {
        Member m = member(role);
        for (String other : others) {
            Member o = member(other);
            ip("-n", m.namespace(), "route", "replace", "blackhole", o.address() + "/32");
            ip("-n", o.namespace(), "route", "replace", "blackhole", m.address() + "/32");
            cuts.add(List.of(role, other));
        }
    }

    /**
     * Drops {@code fraction} (0 to 1) of the packets on {@code role}'s link, both ways, drawn at random per
     * packet, until {@link #heal}.
     */
    public synchronized void lose(String role, double fraction) {
        Member m = member(role);
        lossy.add(role);
        LinkQdisc.apply(List.of(Shell.tc()), m.hostLink(), shape, fraction);
        LinkQdisc.apply(List.of(Shell.tc(), "-n", m.namespace()), "eth0", shape, fraction);
    }

    /** Packets dropped by {@link #lose} on {@code role}'s link since it began, both ways. */
    public synchronized long dropped(String role) {
        Member m = member(role);
        return LinkQdisc.dropped(List.of(Shell.tc()), m.hostLink())
                + LinkQdisc.dropped(List.of(Shell.tc(), "-n", m.namespace()), "eth0");
    }

    /** Removes every cut and every loss this lab made: the partition heals, the links are whole again. */
    public synchronized void heal() {
        if (closed) { // removed with the namespaces
            lossy.clear();
            cuts.clear();
            return;
        }
        for (String role : lossy) {
            Member m = members.get(role);
            LinkQdisc.apply(List.of(Shell.tc()), m.hostLink(), shape, 0);
            LinkQdisc.apply(List.of(Shell.tc(), "-n", m.namespace()), "eth0", shape, 0);
        }
        lossy.clear();
        for (List<String> cut : cuts) {
            Member a = members.get(cut.get(0));
            Member b = members.get(cut.get(1));
            Shell.attempt(List.of(Shell.ip(), "-n", a.namespace(), "route", "del", "blackhole", b.address() + "/32"));
            Shell.attempt(List.of(Shell.ip(), "-n", b.namespace(), "route", "del", "blackhole", a.address() + "/32"));
        }
        cuts.clear();
    }

    /** The pairs of members cut off from each other now. */
    public synchronized List<List<String>> cuts() {
        return List.copyOf(cuts);
    }

    /** Namespaces and links of this lab that still exist (empty after {@link #close}). */
    public List<String> remains() {
        List<String> out = new ArrayList<>();
        List<String> namespaces = namespaces();
        synchronized (this) {
            members.values().stream()
                    .map(Member::namespace)
                    .filter(namespaces::contains)
                    .forEach(out::add);
            members.values().stream()
                    .map(Member::hostLink)
                    .filter(l -> Files.exists(Path.of("/sys/class/net", l)))
                    .forEach(out::add);
        }
        if (Files.exists(Path.of("/sys/class/net", BRIDGE_PREFIX + lab))) {
            out.add(BRIDGE_PREFIX + lab);
        }
        return out;
    }

    /** Removes every namespace (ending what still runs in it), link and the bridge of this lab. */
    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (Member m : members.values()) {
                LabLeftovers.removeNamespace(m.namespace(), problems);
                // the kernel removes a namespace's devices when the last reference to it goes, which may
                // be later: the link is removed now, both ends at once
                Shell.attempt(List.of(Shell.ip(), "link", "del", m.hostLink()));
                if (Files.exists(Path.of("/sys/class/net", m.hostLink()))) {
                    problems.add("link " + m.hostLink() + " is still there");
                }
            }
            Shell.Result r = Shell.attempt(List.of(Shell.ip(), "link", "del", BRIDGE_PREFIX + lab));
            if (r.exit() != 0 && Files.exists(Path.of("/sys/class/net", BRIDGE_PREFIX + lab))) {
                problems.add("bridge " + BRIDGE_PREFIX + lab + ": " + r.output().strip());
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(atExit);
        } catch (IllegalStateException e) {
            // already exiting: this is the hook
        }
        if (!problems.isEmpty()) {
            throw new NetworkLabException("could not remove all of network lab " + lab + ": " + problems);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.warning(e.getMessage());
        }
    }

    /**
     * Removes the namespaces and bridges of labs whose process is gone (killed before its clean-up ran);
     * returns how many it removed.
     */
    public static int sweep() {
        return LabLeftovers.sweep();
    }

    /** Names of this machine's named network namespaces. */
    public static List<String> namespaces() {
        return LabLeftovers.namespaces();
    }

    private static List<String> usedSubnets() {
        Shell.Result r = Shell.attempt(List.of(Shell.ip(), "-o", "-4", "addr", "show"));
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("inet (10\\.213\\.\\d+\\.)").matcher(r.output());
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of(Shell.ip()));
        command.addAll(List.of(args));
        Shell.run(command);
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:"))
                    .anyMatch(l -> "0".equals(l.split("\\s+")[2])); // the effective uid
        } catch (IOException e) {
            return false;
        }
    }
}
