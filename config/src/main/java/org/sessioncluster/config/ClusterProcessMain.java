package org.sessioncluster.config;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The command line of a process of the cluster that runs until SIGTERM (a node, the balancer): it reads
 * {@code --config} with its {@code --set} overrides, starts its service, and stops it on SIGTERM. A bad
 * config exits with {@link ExitCodes#BAD_INPUT} and one line naming the key; a service that cannot start exits
 * with {@link ExitCodes#FAILED} and one line saying why; neither prints a stack trace.
 */
public abstract class ClusterProcessMain implements Callable<Integer> {
    /** The service could not start, for the reason in the message (printed as it is). */
    public static final class StartFailed extends Exception {
        private static final long serialVersionUID = 1L;

        public StartFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Mixin
    ConfigFileOptions configFile;

    @Spec
    CommandSpec spec;

    /** Runs {@code main} with {@code args} and exits with its code; log records on one line each. */
    protected static void run(ClusterProcessMain main, String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n");
        System.exit(new CommandLine(main).execute(args));
    }

    /**
     * Starts the service on the loaded config.
     *
     * @return what stops it (run once, on SIGTERM)
     */
    protected abstract Runnable start(ClusterConfig cluster) throws StartFailed;

    @Override
    public final Integer call() throws InterruptedException {
        Runnable stop;
        try {
            stop = start(configFile.load(Map.of()));
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(spec.name() + ": " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (StartFailed e) {
            spec.commandLine().getErr().println(spec.name() + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stop.run();
                            stopped.countDown();
                        },
                        spec.name() + "-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }
}
