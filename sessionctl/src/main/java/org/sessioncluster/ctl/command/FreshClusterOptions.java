package org.sessioncluster.ctl.command;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of the commands that start throw-away clusters of their own (compare, failover). */
public class FreshClusterOptions {
    @Option(
            names = "--war",
            defaultValue = "webapp/target/session-webapp.war",
            description = "the WAR (default: ${DEFAULT-VALUE})")
    Path war;

    @Option(
            names = "--jvm-options",
            defaultValue = "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k",
            description = "node JVM options for every cluster this command starts (default: ${DEFAULT-VALUE})")
    String jvmOptions;
}
