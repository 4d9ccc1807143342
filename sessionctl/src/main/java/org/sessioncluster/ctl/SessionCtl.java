package org.sessioncluster.ctl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.sessioncluster.config.ConfigException;
import org.sessioncluster.config.ExitCodes;
import org.sessioncluster.ctl.cluster.ClusterStateException;
import org.sessioncluster.ctl.cluster.LaunchException;
import org.sessioncluster.ctl.command.ChaosCommand;
import org.sessioncluster.ctl.command.CompareCommand;
import org.sessioncluster.ctl.command.DownCommand;
import org.sessioncluster.ctl.command.DurationConverter;
import org.sessioncluster.ctl.command.FailoverCommand;
import org.sessioncluster.ctl.command.LoadCommand;
import org.sessioncluster.ctl.command.MakeWarCommand;
import org.sessioncluster.ctl.command.NodeControlCommands;
import org.sessioncluster.ctl.command.OptionDefaults;
import org.sessioncluster.ctl.command.ProcessCommands;
import org.sessioncluster.ctl.command.ProxyConfigCommand;
import org.sessioncluster.ctl.command.RolloutCommand;
import org.sessioncluster.ctl.command.SoakCommand;
import org.sessioncluster.ctl.command.SshServerCommand;
import org.sessioncluster.ctl.command.StatusCommand;
import org.sessioncluster.ctl.command.StoreCommand;
import org.sessioncluster.ctl.command.TomcatBaseCommand;
import org.sessioncluster.ctl.command.TunnelCommand;
import org.sessioncluster.ctl.command.UpCommand;
import org.sessioncluster.tunnel.TunnelException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The sessionctl command line. */
@Command(
        name = "sessionctl",
        mixinStandardHelpOptions = true,
        version = "sessionctl 0.1.0",
        description = "Run a cluster of Tomcat nodes whose HTTP sessions are local, replicated (delta, backup)"
                + " or kept in Redis, as cluster-config/cluster.properties says.",
        subcommands = {
            UpCommand.class,
            DownCommand.class,
            StatusCommand.class,
            NodeControlCommands.Drain.class,
            NodeControlCommands.Enable.class,
            NodeControlCommands.Disable.class,
            NodeControlCommands.Weight.class,
            ProcessCommands.Kill.class,
            ProcessCommands.Restart.class,
            ProcessCommands.AddNode.class,
            ProxyConfigCommand.class,
            LoadCommand.class,
            CompareCommand.class,
            ChaosCommand.class,
            FailoverCommand.class,
            SoakCommand.class,
            RolloutCommand.class,
            MakeWarCommand.class,
            TunnelCommand.class,
            SshServerCommand.class,
            StoreCommand.class,
            TomcatBaseCommand.class
        })
public final class SessionCtl {
    /** Held so the level set on them is not lost when the logger is garbage-collected. */
    private static final List<Logger> QUIET = new ArrayList<>();

    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$-7s %5$s%6$s%n");
        // The libraries' INFO lines (connection pools, I/O factories) are noise on a command line.
        for (String chatty : new String[] {"org.apache.sshd", "org.redisson"}) {
            QUIET.add(Logger.getLogger(chatty));
        }
        QUIET.forEach(l -> l.setLevel(Level.WARNING));
        System.exit(commandLine().execute(args));
    }

    /** The command line with error handling: bad config and failed launches print one clear line, exit 2 / 1. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SessionCtl());
        // every duration option reads 500ms, 30s, 2m, 1h; shared options take their command's defaults
        cli.registerConverter(Duration.class, new DurationConverter());
        cli.setDefaultValueProvider(new OptionDefaults());
        // a bad option or value: one line naming it, and where the options are listed (not the whole usage)
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            if (args.length == 0) {
                // sessionctl alone: the commands there are, rather than "Missing required subcommand"
                cmd.usage(cmd.getErr());
                return ExitCodes.BAD_INPUT;
            }
            cmd.getErr().println("sessionctl: " + e.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for its options.");
            return ExitCodes.BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException) {
                cmd.getErr().println("sessionctl: bad config: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            if (e instanceof TunnelException t) {
                cmd.getErr().println("sessionctl: " + t.getMessage());
                return t.kind() == TunnelException.Kind.BAD_INPUT ? ExitCodes.BAD_INPUT : ExitCodes.FAILED;
            }
            if (e instanceof BadInputException) {
                cmd.getErr().println("sessionctl: " + e.getMessage());
                cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for its options.");
                return ExitCodes.BAD_INPUT;
            }
            if (e instanceof LaunchException || e instanceof ClusterStateException) {
                cmd.getErr().println("sessionctl: " + e.getMessage());
                return ExitCodes.FAILED;
            }
            if (e instanceof IOException || e instanceof UncheckedIOException) {
                // a file or folder the command reads or writes (--out, --dir, -o): which one, and why
                cmd.getErr().println("sessionctl: " + describe(e));
                return ExitCodes.FAILED;
            }
            // anything else is a bug: one line that says so, then what to report it with
            cmd.getErr().println("sessionctl: unexpected error (a bug; please report it with the lines below): " + e);
            e.printStackTrace(cmd.getErr());
            return ExitCodes.FAILED;
        });
        return cli;
    }

    /** An I/O failure in words: the JDK names a missing or forbidden path by the path alone. */
    static String describe(Exception e) {
        if (e instanceof UncheckedIOException u) {
            // this project's own message when it gave one, else its cause's
            return u.getMessage().equals(String.valueOf(u.getCause())) ? describe(u.getCause()) : u.getMessage();
        }
        if (e instanceof NoSuchFileException f) {
            return "no such file or folder: " + f.getFile();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() == null ? e.getClass().getSimpleName() : f.getReason());
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
