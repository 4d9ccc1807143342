package org.sessioncluster.ctl;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Which TCP connections a process holds, read from Linux's /proc: its socket inodes (from
 * /proc/PID/fd) matched against the connection table (/proc/PID/net/tcp and tcp6).
 */
public final class ProcSockets {
    private ProcSockets() {}

    public static boolean available() {
        return Files.isReadable(Path.of("/proc/self/net/tcp"));
    }

    /** How many established connections {@code pid} has to remote port {@code port}. */
    public static int connectionsTo(long pid, int port) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while we listed them
                }
            }
        }
        int count = 0;
        for (String table : new String[] {"tcp", "tcp6"}) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            java.util.List<String> lines = Files.readAllLines(file); // read once: the table changes as it is read
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] cols = line.trim().split("\\s+");
                String remote = cols[2];
                int remotePort = Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16);
                boolean established = cols[3].equals("01");
                if (established && remotePort == port && inodes.contains(cols[9])) {
                    count++;
                }
            }
        }
        return count;
    }
}
