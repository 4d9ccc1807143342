package org.sessioncluster.ctl.tomcat;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.BadInputException;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.LaunchException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Lays out one CATALINA_BASE per node from a stock Tomcat (CATALINA_HOME): its conf/ with server.xml
 * set to the node's HTTP address and port, its jvmRoute and (delta, backup) the {@code <Cluster>};
 * (redis, redisson) the {@code <Manager>} in conf/context.xml, the jars in lib/ and (redisson) conf/redisson.yaml; the WAR as webapps/ROOT.war; bin/setenv.sh naming the node. The stock distribution is not changed.
 */
public final class TomcatBases {
    /** The jars Redisson's Tomcat manager needs beside Tomcat (what redisson-tomcat-10 pulls in, plus an SLF4J binding). */
    static final Pattern REDISSON_JARS =
            Pattern.compile("(redisson|netty|cache-api|reactor-core|reactive-streams|rxjava|kryo|reflectasm"
                    + "|objenesis|minlog|jackson|snakeyaml|jodd-util|slf4j-api|slf4j-jdk14)[-.].*\\.jar");

    /**
     * The jars the redis mode's manager needs beside Tomcat and the node jar: Jedis and what it pulls in, with an
     * SLF4J binding to java.util.logging (Tomcat's logging).
     */
    static final Pattern JEDIS_JARS = Pattern.compile(
            "(jedis|commons-pool2|json|gson|error_prone_annotations|redis-authx-core|slf4j-api|slf4j-jdk14)-[0-9].*\\.jar");

    /** The node's jar: the redis mode's manager (org.sessioncluster.node.redis) travels in it. */
    static final Pattern NODE_JAR = Pattern.compile("session-node-.*\\.jar");

    private TomcatBases() {}

    /** One CATALINA_BASE per node of {@code config} under {@code out}; returns their folders. */
    public static List<Path> create(ClusterConfig config, Path catalinaHome, Path war, Path out, List<Path> classpath)
            throws IOException {
        Path serverXml = catalinaHome.resolve("conf/server.xml");
        if (!Files.isRegularFile(serverXml) || !Files.isRegularFile(catalinaHome.resolve("bin/catalina.sh"))) {
            throw new BadInputException(
                    "--home " + catalinaHome + " is not a Tomcat distribution (no conf/server.xml or bin/catalina.sh)");
        }
        ClusterLauncher.requireWar(war);
        List<Path> jars = config.sessionMode().usesRedis() ? redisJars(config.sessionMode(), classpath) : List.of();
        List<Path> bases = new ArrayList<>();
        for (NodeAddress node : config.nodes()) {
            Path base = out.resolve(node.name());
            for (String dir : List.of("conf", "lib", "logs", "temp", "webapps", "work", "bin")) {
                Files.createDirectories(base.resolve(dir));
            }
            copyTree(catalinaHome.resolve("conf"), base.resolve("conf"));
            writeServerXml(config, node, serverXml, base.resolve("conf/server.xml"));
            if (config.sessionMode().usesRedis()) {
                writeRedis(config, base);
                for (Path jar : jars) {
                    Files.copy(
                            jar, base.resolve("lib").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.copy(war, base.resolve("webapps/ROOT.war"), StandardCopyOption.REPLACE_EXISTING);
            Path setenv = base.resolve("bin/setenv.sh");
            Files.writeString(
                    setenv,
                    "# session-cluster: what this instance is called and how much memory it gets\n"
                            + "CATALINA_OPTS=\"$CATALINA_OPTS -Dsessioncluster.node.name=" + node.name() + " "
                            + config.node().jvmOptions() + "\"\n");
            bases.add(base);
        }
        return bases;
    }

    /**
     * The XML an operator pastes by hand: {@code <mode>/<node>-cluster.xml} (the {@code <Cluster>} for that
     * node's {@code <Engine>}) for delta and backup, and {@code redis/context-manager.xml}, all from {@code config}.
     */
    public static void writeSnippets(ClusterConfig config, Path dir) throws IOException {
        for (SessionMode mode : List.of(SessionMode.DELTA, SessionMode.BACKUP)) {
            ClusterConfig c = config.with(java.util.Map.of(ConfigKeys.SESSION_MODE, mode.configName()));
            Files.createDirectories(dir.resolve(mode.configName()));
            for (NodeAddress node : c.nodes()) {
                Files.writeString(
                        dir.resolve(mode.configName()).resolve(node.name() + "-cluster.xml"),
                        TomcatSnippets.cluster(c, node));
            }
        }
        for (SessionMode mode : List.of(SessionMode.REDIS, SessionMode.REDISSON)) {
            Files.createDirectories(dir.resolve(mode.configName()));
            Files.writeString(
                    dir.resolve(mode.configName()).resolve("context-manager.xml"),
                    TomcatSnippets.redisManager(
                            config.with(java.util.Map.of(ConfigKeys.SESSION_MODE, mode.configName()))));
        }
    }

    /** Redisson's jars (redisson mode), or the node jar with this project's manager and Jedis's jars (redis mode). */
    private static List<Path> redisJars(SessionMode mode, List<Path> classpath) {
        Pattern wanted = mode == SessionMode.REDIS ? JEDIS_JARS : REDISSON_JARS;
        List<Path> jars = classpath.stream()
                .filter(p -> wanted.matcher(p.getFileName().toString()).matches()
                        || mode == SessionMode.REDIS
                                && NODE_JAR.matcher(p.getFileName().toString()).matches())
                .toList();
        String missing = mode == SessionMode.REDIS
                ? jars.stream()
                                .anyMatch(p -> NODE_JAR.matcher(p.getFileName().toString())
                                        .matches())
                        ? jars.stream().anyMatch(p -> p.getFileName().toString().startsWith("jedis-")) ? null : "jedis"
                        : "the session-node jar (the redis mode's manager)"
                : jars.stream().anyMatch(p -> p.getFileName().toString().startsWith("redisson-tomcat-10"))
                        ? null
                        : "redisson-tomcat-10";
        if (missing != null) {
            throw new LaunchException(missing + " is not on sessionctl's class path; run sessionctl from the build"
                    + " (scripts/sessionctl)");
        }
        return jars;
    }

    private static void writeRedis(ClusterConfig config, Path base) throws IOException {
        boolean elsewhere = config.sessionMode() == SessionMode.REDIS
                && !(config.redis().sentinels().isEmpty()
                        && config.redis().clusterNodes().isEmpty());
        if (config.redis().address().isBlank() && !elsewhere) {
            throw new BadInputException("session.mode = " + config.sessionMode().configName()
                    + " on stock Tomcat needs redis.address (where the Tomcats find Redis)"
                    + (config.sessionMode() == SessionMode.REDIS ? ", redis.sentinels or redis.cluster.nodes" : ""));
        }
        if (config.sessionMode() == SessionMode.REDISSON) {
            writeRedissonYaml(config, base);
        }
        Path contextXml = base.resolve("conf/context.xml");
        Document doc = parse(Files.readString(contextXml));
        Element context = doc.getDocumentElement();
        NodeList managers = context.getElementsByTagName("Manager");
        for (int i = managers.getLength() - 1; i >= 0; i--) {
            managers.item(i).getParentNode().removeChild(managers.item(i));
        }
        append(context, TomcatSnippets.redisManager(config));
        write(doc, contextXml);
    }

    private static void writeRedissonYaml(ClusterConfig config, Path base) throws IOException {
        String yaml = Files.readString(config.redis().redissonConfigPath())
                .replaceFirst(
                        "(?m)^(\\s*address:\\s*).*$", "$1\"" + config.redis().address() + "\"");
        if (!config.redis().password().isEmpty()) {
            // Redisson's YAML reads ${REDIS_PASSWORD} from the environment: the password is not written to the base
            String login = (config.redis().username().isEmpty()
                            ? ""
                            : "$1username: \"" + config.redis().username() + "\"\n")
                    + "$1password: \"\\${REDIS_PASSWORD}\"\n";
            yaml = yaml.replaceFirst("(?m)^(\\s*)address:(.*)$\\n", "$1address:$2\n" + login);
        }
        Files.writeString(base.resolve("conf/redisson.yaml"), yaml);
    }

    private static void writeServerXml(ClusterConfig config, NodeAddress node, Path stock, Path target)
            throws IOException {
        Document doc = parse(Files.readString(stock));
        Element server = doc.getDocumentElement();
        server.setAttribute("port", "-1"); // no shutdown port: several instances share a host; stop with SIGTERM
        NodeList connectors = doc.getElementsByTagName("Connector");
        for (int i = connectors.getLength() - 1; i >= 0; i--) {
            Element c = (Element) connectors.item(i);
            if (c.getAttribute("protocol").startsWith("HTTP/1.1")) {
                c.setAttribute("port", Integer.toString(node.httpPort()));
                c.setAttribute("address", node.host());
                c.removeAttribute("redirectPort");
            } else {
                c.getParentNode().removeChild(c);
            }
        }
        Element engine = (Element) doc.getElementsByTagName("Engine").item(0);
        engine.setAttribute("jvmRoute", node.name());
        if (config.sessionMode().usesTribes()) {
            append(engine, TomcatSnippets.cluster(config, node));
        }
        write(doc, target);
    }

    private static void append(Element parent, String xmlFragment) {
        Document fragment = parse("<fragment>" + xmlFragment + "</fragment>");
        for (Node child = fragment.getDocumentElement().getFirstChild();
                child != null;
                child = child.getNextSibling()) {
            parent.appendChild(parent.getOwnerDocument().importNode(child, true));
        }
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder b = f.newDocumentBuilder();
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new LaunchException("cannot read Tomcat's XML: " + e.getMessage());
        }
    }

    private static void write(Document doc, Path file) throws IOException {
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.transform(new DOMSource(doc), new StreamResult(file.toFile()));
        } catch (javax.xml.transform.TransformerException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
