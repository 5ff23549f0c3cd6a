package dev.adjoint.builds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.RandomPoints;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several processing rounds (another processor generates {@code @Differentiable} classes in later rounds), repeated
 * compiles, and incremental compiles that recompile one class against the others' class files: no
 * "Attempt to recreate a file", no missing or stale gradients.
 */
class RoundsAndRebuildsTest {

    static final String TRIGGER = """
            package rounds;

            @rounds.Trigger
            class Seed {
            }
            """;

    static final String TRIGGER_ANNOTATION = """
            package rounds;

            @interface Trigger {
            }
            """;

    static final String DIRECT = """
            package rounds;

            import dev.adjoint.Differentiable;

            class Direct {
                @Differentiable
                static double f(double x) {
                    return Math.sin(x) * x;
                }
            }
            """;

    /**
     * Generates {@code rounds.Late1} in its first round and {@code rounds.Late2} in its second: both carry
     * {@code @Differentiable} methods, so Adjoint meets them in rounds 2 and 3.
     */
    static final class LateGenerator extends AbstractProcessor {
        private int round;

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("*");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment env) {
            round++;
            if (round <= 2) {
                String name = "Late" + round;
                String source = "package rounds;\n\nimport dev.adjoint.Differentiable;\n\n"
                        + "public class " + name + " {\n"
                        + "    @Differentiable\n"
                        + "    public static double f(double x, int n) {\n"
                        + "        double s = x;\n"
                        + "        for (int i = 0; i < n; i++) {\n"
                        + "            s = s * Math.cos(s) + " + round + " * x;\n"
                        + "        }\n"
                        + "        return s;\n"
                        + "    }\n"
                        + "}\n";
                try (Writer w = processingEnv.getFiler().createSourceFile("rounds." + name).openWriter()) {
                    w.write(source);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return false;
        }
    }

    @Test
    void classesGeneratedInLaterRoundsAreDifferentiated() {
        Compilation c = Javac.adjoint().strict()
                .withProcessors(() -> List.of(new LateGenerator(), new AdjointProcessor()))
                .compile(TRIGGER_ANNOTATION, TRIGGER, DIRECT)
                .assertSucceededWithoutWarnings();
        for (String name : List.of("rounds.Late1", "rounds.Late2")) {
            assertTrue(c.hasGeneratedSource(name + "Grad"), c::report);
            GradientCheck.of(Grad.of(c, name, "f")).tolerance(1e-6)
                    .atAll(RandomPoints.points(name.hashCode(), 6, r -> new Object[] {r.uniform(-1, 1),
                            r.integer(0, 4)}))
                    .assertPassed(6, 0.2);
        }
        assertTrue(c.hasGeneratedSource("rounds.DirectGrad"), c::report);
        assertEquals(1, c.generatedSources().keySet().stream().filter(n -> n.equals("rounds.DirectGrad")).count());
    }

    /** The same sources compiled many times (fresh processors, as build tools do) give identical output. */
    @Test
    void repeatedCompilesAgree() {
        Javac javac = Javac.adjoint().strict();
        Map<String, String> first = null;
        for (int i = 0; i < 5; i++) {
            Compilation c = javac.compile(DIRECT, ModelSources.A, ModelSources.B).assertSucceededWithoutWarnings();
            if (first == null) {
                first = c.generatedSources();
            } else {
                assertEquals(first, c.generatedSources());
            }
        }
    }

    private Path dir;

    @BeforeEach
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("adjoint-incremental");
    }

    @AfterEach
    void removeDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void writeClasses(Compilation c) throws IOException {
        for (String name : c.classNames()) {
            Path p = dir.resolve(name.replace('.', File.separatorChar) + ".class");
            Files.createDirectories(p.getParent());
            Files.write(p, c.classFile(name));
        }
    }

    private Javac againstOutput() {
        return Javac.adjoint().strict().withClassPath(System.getProperty("java.class.path") + File.pathSeparator + dir);
    }

    /**
     * Build A and B, then change A and recompile only A with the first build's classes on the class path (what an
     * incremental build does): A's gradient is regenerated from the new A, B's is not rewritten, nothing clashes.
     */
    @Test
    void incrementalRecompileOfOneClass() throws IOException {
        Compilation full = Javac.adjoint().strict().compile(ModelSources.A, ModelSources.B)
                .assertSucceededWithoutWarnings();
        writeClasses(full);

        Compilation again = againstOutput().compile(ModelSources.A_CHANGED).assertSucceededWithoutWarnings();
        assertEquals(Set.of("inc.AGrad"), again.generatedSources().keySet(), again::report);
        Grad a = Grad.of(again, "inc.A", "f");
        assertEquals(3 * 2.0 * 2.0, a.grad(2.0).scalar("x"), 1e-12, "AGrad must come from the changed A (3x^2)");
        GradientCheck.of(a).atAll(RandomPoints.points(3, 5, r -> new Object[] {r.uniform(-2, 2)})).assertPassed();

        // and B, recompiled alone against the new output (which now holds the new A), still works
        writeClasses(again);
        Compilation b = againstOutput().compile(ModelSources.B).assertSucceededWithoutWarnings();
        assertEquals(Set.of("inc.BGrad"), b.generatedSources().keySet(), b::report);
        assertEquals(6 * 2.0, Grad.of(b, "inc.B", "g").grad(2.0).scalar("y"), 1e-12);
    }

    /** A class whose @Differentiable methods were all removed: no gradient class is generated for it any more. */
    @Test
    void removingTheLastDifferentiableMethodGeneratesNothing() throws IOException {
        Compilation full = Javac.adjoint().strict().compile(ModelSources.A, ModelSources.B).assertSucceeded();
        writeClasses(full);
        Compilation again = againstOutput().compile(ModelSources.A_PLAIN).assertSucceededWithoutWarnings();
        assertTrue(again.generatedSources().isEmpty(), again::report);
        assertFalse(again.classNames().contains("inc.AGrad"));
    }

    /**
     * A build that is handed the previous build's generated source of A's gradient as an input (a generated-sources
     * folder on the source path, as a careless incremental setup does) while A itself is recompiled: javac's Filer
     * refuses to write the file again. That must end as one clear error, not a crash.
     */
    @Test
    void staleGeneratedSourceAmongTheInputs() {
        Compilation full = Javac.adjoint().strict().compile(ModelSources.A).assertSucceeded();
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("inc.A", ModelSources.A);
        inputs.put("inc.AGrad", full.generatedSource("inc.AGrad"));
        Compilation again = Javac.adjoint().compile(inputs);
        assertNull(again.crash(), again::report);
        List<String> problems = new ArrayList<>();
        again.errors().forEach(d -> problems.add(d.message()));
        // Either the processor recognises its own up-to-date output and skips it, or it says why it cannot write.
        if (!again.succeeded()) {
            assertEquals(1, problems.size(), again::report);
            String message = problems.get(0);
            assertTrue(message.contains("inc.AGrad") && message.contains("earlier build"), message);
            assertFalse(message.contains("internal error"), message);
        }
    }

    /** Sources shared by the incremental tests. */
    static final class ModelSources {
        static final String A = """
                package inc;

                import dev.adjoint.Differentiable;

                public class A {
                    public static final double K = 2;

                    @Differentiable
                    public static double f(double x) {
                        return x * x;
                    }
                }
                """;

        static final String A_CHANGED = """
                package inc;

                import dev.adjoint.Differentiable;

                public class A {
                    public static final double K = 2;

                    @Differentiable
                    public static double f(double x) {
                        return x * x * x;
                    }
                }
                """;

        static final String A_PLAIN = """
                package inc;

                public class A {
                    public static final double K = 2;

                    public static double f(double x) {
                        return x * x;
                    }
                }
                """;

        static final String B = """
                package inc;

                import dev.adjoint.Differentiable;

                public class B {
                    @Differentiable
                    public static double g(double y) {
                        return 3 * y * y + A.K;   // a constant of A: B compiles against A's class file
                    }
                }
                """;

        private ModelSources() {}
    }
}
