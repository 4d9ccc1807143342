package org.sessioncluster.ctl.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * What network labs leave on the machine, and its removal: namespaces named {@code scl-<pid>-…} and bridges whose
 * alias names their owner's pid. A lab removes its own at {@link NetworkLab#close}; what a killed run left is
 * removed here once its process is gone.
 */
final class LabLeftovers {
    private static final Logger LOG = Logger.getLogger(LabLeftovers.class.getName());

    private LabLeftovers() {}

    /**
     * Removes the namespaces and bridges of labs whose process is gone (killed before its clean-up ran);
     * returns how many it removed.
     */
    static int sweep() {
        int removed = 0;
        List<String> problems = new ArrayList<>();
        for (String ns : namespaces()) {
            Matcher m = NetworkLab.OWNED_NAMESPACE.matcher(ns);
            if (m.matches() && !alive(Long.parseLong(m.group(1)))) {
                removeNamespace(ns, problems);
                removed++;
            }
        }
        try (Stream<Path> links = Files.list(Path.of("/sys/class/net"))) {
            for (Path link : links.filter(p -> p.getFileName().toString().startsWith(NetworkLab.BRIDGE_PREFIX))
                    .toList()) {
                String alias = read(link.resolve("ifalias"));
                if (alias.startsWith(NetworkLab.ALIAS_PREFIX)
                        && !alive(Long.parseLong(alias.substring(NetworkLab.ALIAS_PREFIX.length())
                                .trim()))) {
                    Shell.attempt(List.of(
                            Shell.ip(), "link", "del", link.getFileName().toString()));
                    removed++;
                }
            }
        } catch (IOException | NumberFormatException e) {
            problems.add(e.getMessage());
        }
        if (removed > 0) {
            LOG.info("removed " + removed + " namespace(s) and bridge(s) left by network labs of ended runs");
        }
        if (!problems.isEmpty()) {
            LOG.warning("could not remove what ended runs left: " + problems);
        }
        return removed;
    }

    /** Ends what runs in the namespace (it is this run's), then removes it and with it its end of the link. */
    static void removeNamespace(String namespace, List<String> problems) {
        if (!namespaces().contains(namespace)) {
            return;
        }
        Shell.Result pids = Shell.attempt(List.of(Shell.ip(), "netns", "pids", namespace));
        if (pids.exit() == 0) {
            List<ProcessHandle> inside = pids.output()
                    .lines()
                    .map(String::strip)
                    .filter(s -> s.matches("\\d+"))
                    .flatMap(p -> ProcessHandle.of(Long.parseLong(p)).stream())
                    .toList();
            inside.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : inside) {
                try {
                    p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    problems.add(namespace + ": pid " + p.pid() + " did not end");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        Shell.Result r = Shell.attempt(List.of(Shell.ip(), "netns", "del", namespace));
        if (r.exit() != 0) {
            problems.add(namespace + ": " + r.output().strip());
        }
    }

    /** Names of this machine's named network namespaces. */
    static List<String> namespaces() {
        Shell.Result r = Shell.attempt(List.of(Shell.ip(), "netns", "list"));
        if (r.exit() != 0) {
            return List.of();
        }
        return r.output()
                .lines()
                .map(l -> l.split("\\s+")[0])
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
