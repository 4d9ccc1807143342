package org.sessioncluster.ctl.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.BadInputException;
import org.sessioncluster.ctl.cluster.JarManifest;
import org.sessioncluster.ctl.cluster.PortPlan;
import org.sessioncluster.ctl.tomcat.TomcatBases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sessionctl tomcat-base}: CATALINA_BASE folders for a stock Tomcat, one per node of the config. */
@Command(
        name = "tomcat-base",
        mixinStandardHelpOptions = true,
        description =
                "Lay out one CATALINA_BASE per node from a stock Tomcat distribution: the WAR as ROOT, the node's port and"
                        + " jvmRoute, and the session mode of the config (<Cluster> for delta/backup, the Redisson <Manager> and jars for redis).")
public class TomcatBaseCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(
            names = "--home",
            description = "CATALINA_HOME: an unpacked Tomcat 10.1 distribution (required unless --snippets-to)")
    Path home;

    @Option(
            names = "--snippets-to",
            paramLabel = "DIR",
            description =
                    "only write the XML to paste into a stock Tomcat, for every"
                            + " node of the config and every mode, into DIR (cluster-config/tomcat/ holds them for the shipped config)")
    Path snippetsTo;

    @Option(
            names = "--out",
            defaultValue = "run/tomcat",
            description = "where the CATALINA_BASEs go (default: ${DEFAULT-VALUE})")
    Path out;

    @Mixin
    WarOption war;

    @Mixin
    ClusterShapeOptions shape;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Map<String, String> more = shape.overrides();
        if (snippetsTo != null) {
            TomcatBases.writeSnippets(configOptions.load(more), snippetsTo);
            spec.commandLine().getOut().println("wrote the stock-Tomcat snippets to " + snippetsTo);
            return 0;
        }
        if (home == null) {
            throw new BadInputException(
                    "--home CATALINA_HOME is needed (an unpacked Tomcat; scripts/install-tomcat.sh fetches one)");
        }
        ClusterConfig config = new PortPlan(false).resolve(configOptions.load(more));
        if (config.sessionMode() == SessionMode.DISK) {
            throw new BadInputException(
                    "disk mode is not laid out for stock Tomcat; use local, delta, backup or redis");
        }
        List<Path> bases =
                TomcatBases.create(config, home.toAbsolutePath(), war.war, out.toAbsolutePath(), classpath());
        PrintWriter o = spec.commandLine().getOut();
        o.println(config.sessionMode().configName() + " mode on stock Tomcat (" + home.toAbsolutePath() + "):");
        for (int i = 0; i < bases.size(); i++) {
            NodeAddress n = config.nodes().get(i);
            o.println("  " + n.name() + "  " + n.httpBaseUrl() + "/  CATALINA_BASE=" + bases.get(i));
        }
        o.println("start one: CATALINA_HOME=" + home.toAbsolutePath() + " CATALINA_BASE=" + bases.get(0) + " "
                + home.toAbsolutePath() + "/bin/catalina.sh run   (stop: Ctrl-C, or SIGTERM to its java process)");
        return 0;
    }

    /** The jars sessionctl runs with: the class path, plus the Class-Path of a jar started with java -jar. */
    static List<Path> classpath() throws IOException {
        List<Path> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            jars.add(p);
            if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                jars.addAll(JarManifest.libraries(p));
            }
        }
        return jars;
    }
}
