package dev.adjoint.benchmarks.compile;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import javax.annotation.processing.Processor;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The processor's own cost: javac compiling {@value #METHODS} {@code @Differentiable} methods of the neuron loss's
 * size ({@value #CLASSES} classes of {@value #PER_CLASS}), with Adjoint (which writes and javac then compiles the
 * {@code *Grad} classes) and without it ({@code -proc:none}), in memory, one full compilation per operation. The
 * difference of the two is what Adjoint adds to a build, generated code included; {@link #adjointProcessingOnly}
 * bounds the processor's own part.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 8)
@Measurement(iterations = 10)
@State(Scope.Benchmark)
public class CompileBenchmark {
    static final int CLASSES = 10;
    static final int PER_CLASS = 20;
    static final int METHODS = CLASSES * PER_CLASS;

    private List<JavaFileObject> sources;
    private JavaCompiler javac;

    /** Writes the sources once. */
    @Setup(Level.Trial)
    public void setup() {
        javac = ToolProvider.getSystemJavaCompiler();
        sources = sources();
        // both must compile, and with Adjoint produce one gradient class per class
        int withGrad = compile(true);
        int without = compile(false);
        if (without != CLASSES || withGrad != 2 * CLASSES) {
            throw new IllegalStateException("expected " + CLASSES + " classes without Adjoint and " + 2 * CLASSES
                    + " top-level classes with it, got " + without + " and " + withGrad);
        }
    }

    /** javac alone. */
    @Benchmark
    public int javacAlone() {
        return compile(false);
    }

    /** javac with Adjoint's processor. */
    @Benchmark
    public int javacWithAdjoint() {
        return compile(true);
    }

    /**
     * javac with Adjoint's processor and {@code -proc:only}: the sources parsed, Adjoint run and its classes
     * written and parsed, nothing attributed or compiled. An upper bound of the processor's own time.
     */
    @Benchmark
    public int adjointProcessingOnly() {
        return compile(true, true);
    }

    private int compile(boolean adjoint) {
        return compile(adjoint, false);
    }

    /** @return how many top-level classes were written (their class files, not nested ones) */
    private int compile(boolean adjoint, boolean processingOnly) {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, null);
        InMemoryOutput files = new InMemoryOutput(standard);
        List<String> options = new ArrayList<>(List.of("-classpath", System.getProperty("java.class.path"),
                "-Xlint:all", "-Werror"));
        if (!adjoint) {
            options.add("-proc:none");
        } else if (processingOnly) {
            options.add("-proc:only");
        }
        JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics, options, null, sources);
        if (adjoint) {
            task.setProcessors(List.of(adjoint()));
        }
        if (!task.call()) {
            throw new IllegalStateException("compilation failed: " + diagnostics.getDiagnostics());
        }
        return files.topLevelClasses;
    }

    /** @return a new instance of Adjoint's processor, found as javac finds it (its service entry) */
    private static Processor adjoint() {
        for (Processor p : ServiceLoader.load(Processor.class, CompileBenchmark.class.getClassLoader())) {
            if (p.getClass().getName().equals("dev.adjoint.processor.AdjointProcessor")) {
                return p;
            }
        }
        throw new IllegalStateException("Adjoint's processor is not on the class path");
    }

    private static List<JavaFileObject> sources() {
        List<JavaFileObject> out = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            StringBuilder s = new StringBuilder("package bench;\n\nimport dev.adjoint.Differentiable;\n\n");
            s.append("final class Losses").append(c).append(" {\n    private Losses").append(c).append("() {\n    }\n");
            for (int m = 0; m < PER_CLASS; m++) {
                s.append("""

                            @Differentiable(wrt = {"w", "b"})
                            static double loss%d(double[] w, double b, double[][] x, double[] y) {
                                double cost = 0;
                                for (int i = 0; i < x.length; i++) {
                                    double z = b;
                                    for (int j = 0; j < w.length; j++) {
                                        z += w[j] * x[i][j];
                                    }
                                    double a = Math.max(0, z);
                                    double e = y[i] - a;
                                    cost += e * e;
                                }
                                return cost / x.length;
                            }
                        """.formatted(m));
            }
            s.append("}\n");
            String name = "bench/Losses" + c + ".java";
            String text = s.toString();
            out.add(new SimpleJavaFileObject(URI.create("mem:///" + name), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return text;
                }
            });
        }
        return out;
    }

    /** Keeps generated sources and class files in memory; counts the top-level classes written. */
    private static final class InMemoryOutput extends ForwardingJavaFileManager<JavaFileManager> {
        int topLevelClasses;

        InMemoryOutput(JavaFileManager delegate) {
            super(delegate);
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                FileObject sibling) {
            if (kind == JavaFileObject.Kind.CLASS && !className.contains("$")) {
                topLevelClasses++;
            }
            String path = className.replace('.', '/') + kind.extension;
            return new SimpleJavaFileObject(URI.create("mem:///out/" + path), kind) {
                private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                private String text = "";

                @Override
                public OutputStream openOutputStream() {
                    return bytes;
                }

                @Override
                public java.io.Writer openWriter() {
                    return new java.io.StringWriter() {
                        @Override
                        public void close() {
                            text = toString();
                        }
                    };
                }

                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return text;
                }
            };
        }
    }
}
