package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The processor's shape, checked on its sources: the stages depend one way only (parse → lower → analysis →
 * transform → emit, with ir, rules and diagnostics below them), and no rule or transform works on Java text.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/dev/adjoint/processor");

    /** What each package may refer to, besides itself. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "ir", Set.of(),
            "diagnostics", Set.of("ir"),
            "rules", Set.of("ir"),
            "parse", Set.of("ir", "rules", "diagnostics"),
            "lower", Set.of("ir", "rules", "diagnostics"),
            "analysis", Set.of("ir", "rules", "diagnostics", "lower"),
            "transform", Set.of("ir", "rules", "diagnostics", "lower", "analysis"),
            "optimise", Set.of("ir", "rules", "diagnostics", "lower", "analysis", "transform"),
            "explain", Set.of("ir", "rules", "diagnostics", "lower", "analysis", "transform"),
            "emit", Set.of("ir", "rules", "diagnostics", "transform", "explain"));

    private static final Pattern REFERENCE = Pattern.compile("dev\\.adjoint\\.processor\\.([a-z]+)\\.");

    @Test
    void stagesDependOneWayOnly() throws IOException {
        Map<String, Set<String>> found = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            Path rel = MAIN.relativize(file);
            if (rel.getNameCount() < 2) {
                continue; // the driver and the processor may use every stage
            }
            String pkg = rel.getName(0).toString();
            assertTrue(ALLOWED.containsKey(pkg), "a package the architecture does not place: " + pkg);
            Matcher m = REFERENCE.matcher(Files.readString(file));
            while (m.find()) {
                String used = m.group(1);
                if (used.equals(pkg) || used.equals("shaded")) {
                    continue;
                }
                found.computeIfAbsent(pkg, k -> new TreeSet<>()).add(used);
                if (!ALLOWED.get(pkg).contains(used)) {
                    violations.add(rel + " uses " + used);
                }
            }
        }
        assertEquals(List.of(), violations, "dependencies against the pipeline's direction");
        // the check sees the references it should: transform builds on analysis, emit renders transform's output
        assertTrue(found.get("transform").contains("analysis"), found.toString());
        assertTrue(found.get("emit").contains("transform"), found.toString());
    }

    @Test
    void rulesAndTransformsBuildIrNotText() throws IOException {
        Pattern text = Pattern.compile("\\.replace(All|First)?\\(|\\.matches\\(|java\\.util\\.regex|CodeBlock|"
                + "javapoet|String\\.format\\(");
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            String pkg = MAIN.relativize(file).getName(0).toString();
            if (!pkg.equals("rules") && !pkg.equals("transform") && !pkg.equals("optimise")) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (text.matcher(lines.get(i)).find()) {
                    violations.add(MAIN.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertEquals(List.of(), violations, "text templates or regular expressions in rules, transform or optimise");
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
