package org.sessioncluster.ctl.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one of iproute2's commands (ip, tc) to its end and gives its output, or says why it failed. */
final class Shell {
    private static final long TIMEOUT_SECONDS = 20;

    private Shell() {}

    /** The output (standard output and error together); a non-zero exit throws with that output. */
    static String run(List<String> command) {
        Result r = attempt(command);
        if (r.exit() != 0) {
            throw new NetworkLabException("'" + String.join(" ", command) + "' failed (exit " + r.exit() + "): "
                    + r.output().strip());
        }
        return r.output();
    }

    record Result(int exit, String output) {}

    /** Runs the command; exit -1 when it could not start or did not end in time. */
    static Result attempt(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes(); // ends when the command ends (or closes its output)
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "did not end within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** iproute2's ip, where Debian puts it, else from the PATH. */
    static String ip() {
        return tool("ip");
    }

    static String tc() {
        return tool("tc");
    }

    private static String tool(String name) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return dir + "/" + name;
            }
        }
        return name;
    }
}
