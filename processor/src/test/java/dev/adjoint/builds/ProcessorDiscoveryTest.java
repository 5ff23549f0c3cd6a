package dev.adjoint.builds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How javac finds Adjoint, through its service file (META-INF/services), as a build does: on the processor path
 * always; on the class path only with {@code -proc:full} from JDK 23 on (before, by default). The README's set-up
 * (processor path) relies on the first. Runs with whatever JDK runs the tests (17 and 25 in CI).
 */
class ProcessorDiscoveryTest {
    static final String SOURCE = """
            package disc;

            import dev.adjoint.Differentiable;

            public class Model {
                @Differentiable
                public static double f(double x) {
                    return x * x;
                }

                public static double slope(double x) {
                    return ModelGrad.f(x).x();   // needs the generated class
                }
            }
            """;

    private Path dir;

    @BeforeEach
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("adjoint-discovery");
        Files.createDirectories(dir.resolve("src/disc"));
        Files.writeString(dir.resolve("src/disc/Model.java"), SOURCE, StandardCharsets.UTF_8);
    }

    @AfterEach
    void removeDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Compiles with the test class path (which holds the processor and its service file) and these options. */
    private Result javac(String... options) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Path out = Files.createDirectories(dir.resolve("out" + System.nanoTime()));
        Path gen = Files.createDirectories(dir.resolve("gen" + System.nanoTime()));
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-s", gen.toString(), "-parameters",
                "-Xlint:all,-processing", "-Werror"));
        args.addAll(List.of(options));
        StringWriter log = new StringWriter();
        try (StandardJavaFileManager fm = compiler.getStandardFileManager(null, Locale.ENGLISH,
                StandardCharsets.UTF_8)) {
            boolean ok = compiler.getTask(log, fm, null, args, null,
                    fm.getJavaFileObjects(dir.resolve("src/disc/Model.java").toFile())).call();
            return new Result(ok, Files.exists(out.resolve("disc/ModelGrad.class")), log.toString());
        }
    }

    private record Result(boolean ok, boolean generated, String log) {}

    private static String testClassPath() {
        return System.getProperty("java.class.path");
    }

    @Test
    void processorPathAlwaysWorks() throws IOException {
        Result r = javac("-cp", testClassPath(), "-processorpath", testClassPath(),
                "-processor", "dev.adjoint.processor.AdjointProcessor");
        assertTrue(r.ok() && r.generated(), r.log());
    }

    @Test
    void processorPathFoundThroughTheServiceFile() throws IOException {
        // only the processor's own entries, so that the service file is what names it
        List<String> entries = new ArrayList<>();
        for (String e : testClassPath().split(File.pathSeparator)) {
            if (!e.contains("test-classes")) {
                entries.add(e);
            }
        }
        Result r = javac("-cp", testClassPath(), "-processorpath", String.join(File.pathSeparator, entries));
        assertTrue(r.ok() && r.generated(), r.log());
    }

    @Test
    void classPathWithProcFull() throws IOException {
        Result r = javac("-cp", testClassPath(), "-proc:full");
        assertTrue(r.ok() && r.generated(), r.log());
    }

    /** Without -proc:full, JDK 23+ ignores processors on the class path: the user's code then cannot find *Grad. */
    @Test
    void classPathAloneDependsOnTheJdk() throws IOException {
        Result r = javac("-cp", testClassPath());
        boolean discovers = Runtime.version().feature() < 23;
        assertEquals(discovers, r.generated(), r.log());
        assertEquals(discovers, r.ok(), r.log());
    }
}
