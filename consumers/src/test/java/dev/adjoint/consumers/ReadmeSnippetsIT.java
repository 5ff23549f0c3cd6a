package dev.adjoint.consumers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The README's set-up stays what the builds here use: the samples module is built with the README's Maven snippet
 * (it has no parent, so nothing else can make it work), and every version the README tells a user to write is the
 * version just built.
 */
class ReadmeSnippetsIT {

    /** Every element of the README pom's dependencies and build plugins is in samples/pom.xml, with the same text. */
    @Test
    void samplesPomHoldsTheReadmeSnippet() {
        Element readme = parse(Consumers.readmeTemplate("pom.xml"));
        Element samples = parse(Consumers.read(Consumers.ROOT.resolve("samples/pom.xml")));
        assertTrue(child(samples, "parent") == null, "samples/pom.xml must not have a parent: a user's project has none");
        for (String section : List.of("dependencies", "build")) {
            List<String> missing = new ArrayList<>();
            contained(child(readme, section), child(samples, section), section, missing);
            assertEquals(List.of(), missing, "in the README's pom.xml but not in samples/pom.xml");
        }
    }

    /** The versions of our artifacts in the README (Maven, Gradle, javac) are the version just built. */
    @Test
    void readmeVersionsAreThisVersion() {
        String readme = Consumers.read(Consumers.ROOT.resolve("README.md"));
        Matcher m = Pattern.compile("adjoint-(?:runtime|processor)(?:</artifactId>\\s*<version>|:|-)"
                + "(\\d+\\.\\d+\\.\\d+(?:-SNAPSHOT)?)").matcher(readme);
        int n = 0;
        while (m.find()) {
            assertEquals(Consumers.VERSION, m.group(1), "at README offset " + m.start() + ": " + m.group());
            n++;
        }
        assertTrue(n >= 8, "expected the version in the Maven, Gradle and javac set-ups, found " + n);
    }

    /** The Gradle snippet uses the standard configurations and our real coordinates. */
    @Test
    void gradleSnippetIsMinimalAndStandard() {
        String readme = Consumers.read(Consumers.ROOT.resolve("README.md"));
        Matcher m = Pattern.compile("```groovy\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "no Gradle snippet");
        assertEquals("""
                dependencies {
                    implementation 'dev.adjoint:adjoint-runtime:%s'
                    annotationProcessor 'dev.adjoint:adjoint-processor:%s'
                }
                """.formatted(Consumers.VERSION, Consumers.VERSION), m.group(1));
        assertFalse(m.find(), "a second Gradle snippet");
    }

    /** Whether {@code want} (from the README) is in {@code have} (samples): each child somewhere among its children. */
    private static void contained(Element want, Element have, String path, List<String> missing) {
        if (have == null) {
            missing.add(path);
            return;
        }
        List<Element> wantChildren = elements(want);
        if (wantChildren.isEmpty()) {
            if (!want.getTextContent().strip().equals(have.getTextContent().strip())) {
                missing.add(path + " = " + want.getTextContent().strip());
            }
            return;
        }
        for (Element w : wantChildren) {
            List<String> best = null;
            for (Element h : elements(have)) {
                if (h.getTagName().equals(w.getTagName())) {
                    List<String> m = new ArrayList<>();
                    contained(w, h, path + "/" + w.getTagName(), m);
                    if (best == null || m.size() < best.size()) {
                        best = m;
                    }
                }
            }
            missing.addAll(best == null ? List.of(path + "/" + w.getTagName()) : best);
        }
    }

    private static List<Element> elements(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                out.add(c);
            }
        }
        return out;
    }

    private static Element child(Element e, String tag) {
        for (Element c : elements(e)) {
            if (c.getTagName().equals(tag)) {
                return c;
            }
        }
        return null;
    }

    private static Element parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                    .getDocumentElement();
        } catch (Exception e) {
            throw new IllegalStateException("cannot parse:\n" + xml, e);
        }
    }
}
