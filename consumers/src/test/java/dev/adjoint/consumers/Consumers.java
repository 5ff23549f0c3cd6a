package dev.adjoint.consumers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the consumer tests share: the README's templates, the artifacts just built (in the temporary local
 * repository the build installed them into), a user's sources, running a build tool, and checking what the user's
 * program printed.
 */
final class Consumers {
    private Consumers() {}

    /** The version just built. */
    static final String VERSION = property("adjoint.version");
    /** The repository root. */
    static final Path ROOT = Path.of(property("adjoint.root")).normalize();
    /** The temporary local repository holding the artifacts just built (maven-invoker-plugin:install). */
    static final Path REPO = Path.of(property("consumers.repo"));
    /** Where the throwaway projects are made. */
    static final Path WORK = Path.of(property("consumers.work"));
    /** The JDK running the tests: the throwaway builds use the same one (CI runs the tests on 17 and on 25). */
    static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

    private static String property(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException("system property " + name + " is not set: run these tests through Maven "
                    + "(mvn -B verify), which sets it in consumers/pom.xml");
        }
        return v;
    }

    // ---- the README ----

    /**
     * The code block after the README's {@code <!-- consumer-template: name ... -->} marker, exactly as a user copies
     * it.
     */
    static String readmeTemplate(String name) {
        String readme = read(ROOT.resolve("README.md"));
        Matcher m = Pattern.compile("<!-- consumer-template: " + Pattern.quote(name) + "[ >][^\\n]*\\n```[a-z]*\\n(.*?)\\n```",
                Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README.md has no code block marked <!-- consumer-template: " + name + " -->");
        return m.group(1) + "\n";
    }

    // ---- the artifacts ----

    /** An artifact of ours as installed into the temporary repository. */
    static Path installed(String artifactId, String extension) {
        Path p = REPO.resolve("dev/adjoint/" + artifactId + "/" + VERSION + "/" + artifactId + "-" + VERSION + "."
                + extension);
        assertTrue(Files.isRegularFile(p), "not installed for the consumer tests: " + p);
        return p;
    }

    // ---- a user's program ----

    /**
     * A user's model (logistic regression's mean log loss, with loops, arrays and {@code Math}) and a main that calls
     * the generated gradient and prints it beside central differences of the model itself.
     */
    static void writeUserSources(Path javaRoot) {
        write(javaRoot.resolve("my/app/Model.java"), """
                package my.app;

                import dev.adjoint.Differentiable;

                /** Logistic regression. */
                public final class Model {
                    private Model() {}

                    /**
                     * The mean log loss of weights {@code w} and bias {@code b} on the points {@code x} with labels
                     * {@code y}.
                     *
                     * @param w the weights
                     * @param b the bias
                     * @param x the points, one per row
                     * @param y the labels, 0 or 1
                     * @return the mean log loss
                     */
                    @Differentiable(wrt = {"w", "b"})
                    public static double loss(double[] w, double b, double[][] x, double[] y) {
                        double total = 0;
                        for (int i = 0; i < x.length; i++) {
                            double z = b;
                            for (int j = 0; j < w.length; j++) {
                                z += w[j] * x[i][j];
                            }
                            double p = 1 / (1 + Math.exp(-z));
                            total -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
                        }
                        return total / x.length;
                    }
                }
                """);
        write(javaRoot.resolve("my/app/Main.java"), """
                package my.app;

                /** Prints the generated gradient beside central differences. */
                public final class Main {
                    private Main() {}

                    /** @param args unused */
                    public static void main(String[] args) {
                        double[] w = {0.3, -0.7, 0.2};
                        double b = 0.1;
                        double[][] x = {{1.0, 2.0, -1.0}, {0.5, -1.5, 2.0}, {-2.0, 0.3, 0.8}, {1.2, 1.1, -0.4}};
                        double[] y = {1, 0, 1, 0};
                        ModelGrad.LossGradient g = ModelGrad.loss(w, b, x, y);
                        System.out.println("value " + g.value() + " " + Model.loss(w, b, x, y));
                        double h = 1e-6;
                        for (int j = 0; j < w.length; j++) {
                            double[] up = w.clone();
                            double[] down = w.clone();
                            up[j] += h;
                            down[j] -= h;
                            double fd = (Model.loss(up, b, x, y) - Model.loss(down, b, x, y)) / (2 * h);
                            System.out.println("gradient w[" + j + "] " + g.w()[j] + " " + fd);
                        }
                        double fd = (Model.loss(w, b + h, x, y) - Model.loss(w, b - h, x, y)) / (2 * h);
                        System.out.println("gradient b " + g.b() + " " + fd);
                    }
                }
                """);
    }

    /** A module declaration for the user's program, from the README. */
    static void writeModuleInfo(Path javaRoot) {
        write(javaRoot.resolve("module-info.java"), readmeTemplate("module-info.java"));
    }

    /**
     * Checks what {@link #writeUserSources}'s main printed: the value equals the model's, and each of the four
     * partial derivatives (three weights and the bias) agrees with central differences.
     */
    static void assertGradientPrinted(String output) {
        Matcher value = Pattern.compile("(?m)^value (\\S+) (\\S+)$").matcher(output);
        assertTrue(value.find(), "no value printed:\n" + output);
        assertEquals(Double.parseDouble(value.group(2)), Double.parseDouble(value.group(1)), 0.0,
                "the generated value differs from the model's:\n" + output);
        Matcher m = Pattern.compile("(?m)^gradient (\\S+) (\\S+) (\\S+)$").matcher(output);
        int n = 0;
        while (m.find()) {
            double analytic = Double.parseDouble(m.group(2));
            double fd = Double.parseDouble(m.group(3));
            assertTrue(Math.abs(analytic) > 1e-3, "a degenerate test point: " + m.group());
            assertEquals(fd, analytic, 1e-7 * Math.max(1, Math.abs(fd)),
                    "d/d" + m.group(1) + ": the generated gradient differs from central differences:\n" + output);
            n++;
        }
        assertEquals(4, n, "expected 4 partial derivatives:\n" + output);
    }

    /** Checks the generated source: it exists, says which version wrote it, and carries the runtime's marker. */
    static String assertGeneratedSource(Path source) {
        assertTrue(Files.isRegularFile(source), "no generated source at " + source);
        String text = read(source);
        assertTrue(text.startsWith("// Generated by Adjoint " + VERSION + " from my.app.Model."), text);
        assertTrue(text.contains("@GeneratedFrom("), text);
        return text;
    }

    // ---- processes ----

    /** What a process printed (stdout and stderr together) and how it ended. */
    record Run(List<String> command, int exit, String output) {
        /** Fails, showing the command and everything it printed, unless it succeeded. */
        Run assertSucceeded() {
            if (exit != 0) {
                fail("exit " + exit + ": " + String.join(" ", command) + "\n" + output);
            }
            return this;
        }
    }

    /** Runs a command in {@code dir} with this JDK first on the PATH and as JAVA_HOME, and waits (10 minutes at most). */
    static Run run(Path dir, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", JAVA_HOME.toString());
        env.put("PATH", JAVA_HOME.resolve("bin") + java.io.File.pathSeparator + env.getOrDefault("PATH", ""));
        // the outer build's settings must not leak into the throwaway one
        env.remove("MAVEN_OPTS");
        env.remove("MAVEN_ARGS");
        env.remove("MAVEN_CONFIG");
        env.remove("M2_HOME");
        Path log = dir.resolve("process-" + System.nanoTime() + ".log");
        pb.redirectOutput(log.toFile());
        try {
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("timed out after 10 minutes: " + String.join(" ", command) + "\n" + read(log));
            }
            return new Run(command, p.exitValue(), read(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- files ----

    /** A new, empty project directory under {@link #WORK}. */
    static Path freshProject(String name) {
        Path dir = WORK.resolve(name);
        deleteRecursively(dir);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path p, String text) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
