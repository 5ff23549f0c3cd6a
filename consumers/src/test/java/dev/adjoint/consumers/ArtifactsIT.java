package dev.adjoint.consumers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The published artifacts as a user's build receives them: the jars and poms installed for the consumer tests. */
class ArtifactsIT {

    /** The processor jar holds its dependencies, relocated, and registers itself for javac and Gradle. */
    @Test
    void processorJarIsSelfContained() throws IOException {
        try (JarFile jar = new JarFile(Consumers.installed("adjoint-processor", "jar").toFile())) {
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertTrue(names.contains("dev/adjoint/processor/AdjointProcessor.class"), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.startsWith("dev/adjoint/processor/shaded/javapoet/")),
                    "JavaPoet is not bundled");
            for (String n : names) {
                assertTrue(n.startsWith("dev/adjoint/") || n.startsWith("META-INF/") || "dev/adjoint/".startsWith(n),
                        "a class outside dev.adjoint would clash with another processor's copy: " + n);
            }
            assertEquals("dev.adjoint.processor.AdjointProcessor",
                    entry(jar, "META-INF/services/javax.annotation.processing.Processor").strip());
            assertEquals("dev.adjoint.processor.AdjointProcessor,isolating",
                    entry(jar, "META-INF/gradle/incremental.annotation.processors").strip());
            assertEquals("dev.adjoint.processor", jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
            assertTrue(entry(jar, "dev/adjoint/processor/adjoint.properties").contains("version=" + Consumers.VERSION));
        }
    }

    /** The processor's published pom lists no dependency a user's processor path would have to resolve. */
    @Test
    void processorPomHasNoRuntimeDependencies() throws Exception {
        List<String> nonTest = dependencies(Consumers.installed("adjoint-processor", "pom")).stream()
                .filter(d -> !d.endsWith(":test") && !d.endsWith(":provided")).toList();
        assertEquals(List.of(), nonTest);
    }

    /** The runtime is a named module exporting exactly the annotation and helper packages, with no dependencies. */
    @Test
    void runtimeIsANamedModule() {
        Set<ModuleReference> found = ModuleFinder.of(Consumers.installed("adjoint-runtime", "jar")).findAll();
        assertEquals(1, found.size());
        ModuleDescriptor d = found.iterator().next().descriptor();
        assertEquals("dev.adjoint.runtime", d.name());
        assertFalse(d.isAutomatic());
        assertEquals(Set.of("dev.adjoint", "dev.adjoint.runtime"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals(Set.of("java.base"),
                d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
        assertEquals(List.of(), dependencies(Consumers.installed("adjoint-runtime", "pom")));
    }

    /** What Maven Central requires of every pom, here or inherited from the parent. */
    @Test
    void pomsCarryWhatMavenCentralRequires() throws Exception {
        Path parent = Consumers.REPO.resolve("dev/adjoint/adjoint-parent/" + Consumers.VERSION + "/adjoint-parent-"
                + Consumers.VERSION + ".pom");
        Element p = xml(parent);
        for (String required : List.of("name", "description", "url", "licenses", "developers", "scm")) {
            assertFalse(text(p, required).isEmpty(), "the parent pom has no <" + required + ">");
        }
        assertEquals("Apache-2.0", text(p, "licenses/license/name"));
        for (String artifact : List.of("adjoint-runtime", "adjoint-processor")) {
            Element pom = xml(Consumers.installed(artifact, "pom"));
            assertFalse(text(pom, "name").isEmpty(), artifact);
            assertFalse(text(pom, "description").isEmpty(), artifact);
        }
    }

    private static String entry(JarFile jar, String name) throws IOException {
        assertNotNull(jar.getEntry(name), "no " + name + " in " + jar.getName());
        try (InputStream in = jar.getInputStream(jar.getEntry(name))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A pom's dependencies as groupId:artifactId:scope. */
    private static List<String> dependencies(Path pom) {
        Element root = xml(pom);
        NodeList deps = root.getElementsByTagName("dependency");
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            if (d.getParentNode().getParentNode() != root) {
                continue; // dependencyManagement or a plugin's
            }
            String scope = text(d, "scope");
            out.add(text(d, "groupId") + ":" + text(d, "artifactId") + ":" + (scope.isEmpty() ? "compile" : scope));
        }
        return out;
    }

    private static Element xml(Path file) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
        } catch (Exception e) {
            throw new IllegalStateException("cannot parse " + file, e);
        }
    }

    /** The text of the first element at a slash-separated path of child names, or "". */
    private static String text(Element from, String path) {
        Element e = from;
        for (String name : path.split("/")) {
            Element next = null;
            for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element c && c.getTagName().equals(name)) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                return "";
            }
            e = next;
        }
        return e.getTextContent().strip();
    }
}
