package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** CONTRIBUTING's module diagram says what the poms say: each module, and the modules it depends on (not in tests). */
class ModuleDiagramTest {
    private static final Path ROOT =
            TestClusters.configFile().toAbsolutePath().normalize().getParent().getParent();
    private static final Pattern EDGE = Pattern.compile("(?m)^([a-z-]+)\\s+->( [a-z-]+(?:, [a-z-]+)*)?(?:\\s{2,}|$)");

    @Test
    void theDiagramMatchesThePoms() throws Exception {
        Map<String, Set<String>> fromPoms = fromPoms();
        Map<String, Set<String>> fromDiagram = new LinkedHashMap<>();
        Matcher m = EDGE.matcher(Files.readString(ROOT.resolve("CONTRIBUTING.md"), StandardCharsets.UTF_8));
        while (m.find()) {
            Set<String> uses = new TreeSet<>();
            if (m.group(2) != null) {
                uses.addAll(Arrays.asList(m.group(2).trim().split(", ")));
            }
            fromDiagram.put(m.group(1), uses);
        }
        assertThat(fromDiagram).as("CONTRIBUTING.md's module diagram").isEqualTo(fromPoms);
    }

    /** Each module folder the parent pom lists, and the modules its pom depends on outside the test scope. */
    private static Map<String, Set<String>> fromPoms() throws Exception {
        Document parent = parse(ROOT.resolve("pom.xml"));
        Map<String, String> folderOfArtifact = new LinkedHashMap<>();
        NodeList modules = parent.getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            String folder = modules.item(i).getTextContent().trim();
            folderOfArtifact.put(ownArtifactId(parse(ROOT.resolve(folder).resolve("pom.xml"))), folder);
        }
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : folderOfArtifact.entrySet()) {
            Set<String> uses = new TreeSet<>();
            NodeList deps = parse(ROOT.resolve(e.getValue()).resolve("pom.xml")).getElementsByTagName("dependency");
            for (int i = 0; i < deps.getLength(); i++) {
                Element d = (Element) deps.item(i);
                String artifact = text(d, "artifactId");
                if (folderOfArtifact.containsKey(artifact) && !"test".equals(text(d, "scope"))) {
                    uses.add(folderOfArtifact.get(artifact));
                }
            }
            out.put(e.getValue(), uses);
        }
        return out;
    }

    private static String ownArtifactId(Document pom) {
        NodeList children = pom.getDocumentElement().getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element el && el.getTagName().equals("artifactId")) {
                return el.getTextContent().trim();
            }
        }
        throw new AssertionError("a module pom without its own artifactId");
    }

    private static String text(Element parent, String tag) {
        NodeList l = parent.getElementsByTagName(tag);
        return l.getLength() == 0 ? "" : l.item(0).getTextContent().trim();
    }

    private static Document parse(Path pom) throws IOException {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException(pom + ": " + e.getMessage(), e);
        }
    }
}
