package dev.adjoint.builds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The real Eclipse compiler (ECJ) has no javac Tree API: with Adjoint on its processor path it must report one
 * ADJ019 error that says to compile with javac, and no stack trace.
 *
 * <p>Runs only when an ECJ jar is at hand: the system property {@code adjoint.test.ecj}, or
 * {@code org.eclipse.jdt:ecj} in the local Maven repository ({@code mvn dependency:get
 * -Dartifact=org.eclipse.jdt:ecj:3.38.0}); otherwise it is skipped.
 */
class EclipseCompilerTest {

    private static Path findEcj() throws IOException {
        String given = System.getProperty("adjoint.test.ecj", "");
        if (!given.isEmpty()) {
            return Paths.get(given);
        }
        String repo = System.getProperty("maven.repo.local",
                System.getProperty("user.home") + File.separator + ".m2" + File.separator + "repository");
        Path dir = Paths.get(repo, "org", "eclipse", "jdt", "ecj");
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.walk(dir, 2)) {
            return files.filter(p -> p.getFileName().toString().matches("ecj-[0-9.]+\\.jar"))
                    .max(Comparator.comparing(EclipseCompilerTest::version)).orElse(null);
        }
    }

    private static String version(Path jar) {
        Matcher m = Pattern.compile("ecj-([0-9.]+)\\.jar").matcher(jar.getFileName().toString());
        if (!m.matches()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (String part : m.group(1).split("\\.")) {
            b.append(String.format("%06d", Integer.parseInt(part)));
        }
        return b.toString();
    }

    @Test
    void eclipseCompilerGetsOneClearError() throws Exception {
        Path ecj = findEcj();
        assumeTrue(ecj != null && Files.isRegularFile(ecj), "no ECJ jar (set -Dadjoint.test.ecj=...)");
        Path dir = Files.createTempDirectory("adjoint-ecj");
        try {
            Path src = dir.resolve("src/ecj");
            Files.createDirectories(src);
            for (String name : List.of("Model", "Other")) {
                Files.writeString(src.resolve(name + ".java"), "package ecj;\n\nimport dev.adjoint.Differentiable;\n\n"
                        + "public class " + name + " {\n    @Differentiable\n    public static double f(double x) {\n"
                        + "        return x * x;\n    }\n}\n", StandardCharsets.UTF_8);
            }
            String classPath = System.getProperty("java.class.path");
            List<String> command = new ArrayList<>(List.of(
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", ecj.toString(),
                    "-17", "-proceedOnError", "-cp", classPath, "-processorpath", classPath,
                    "-processor", "dev.adjoint.processor.AdjointProcessor", "-d", dir.resolve("out").toString(),
                    src.resolve("Model.java").toString(), src.resolve("Other.java").toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ECJ did not finish");
            assertNotEquals(0, p.exitValue(), output);
            assertEquals(1, count(output, "[ADJ019]"), output);
            assertTrue(output.contains("compile with javac"), output);
            assertTrue(output.contains("1 problem (1 error)"), output);
            assertFalse(output.contains("Exception") || output.contains("\tat "), output);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
