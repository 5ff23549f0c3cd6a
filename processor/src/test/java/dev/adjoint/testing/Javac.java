package dev.adjoint.testing;

import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import dev.adjoint.processor.AdjointProcessor;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * An immutable, thread-safe configuration of an in-memory javac run: the annotation processors (a fresh instance
 * per compile), the options, the class path and a time bound. {@link #compile} returns a {@link Compilation}.
 *
 * <p>Typical use:
 * <pre>{@code
 * Compilation c = Javac.adjoint().strict().compile(source);   // AdjointProcessor, -Xlint:all,-processing -Werror
 * Compilation d = Javac.plain().compile(source);              // no annotation processing at all
 * }</pre>
 *
 * <p>The system {@link JavaCompiler} is shared and each thread reuses a pooled {@link StandardJavaFileManager} (the
 * class path is opened once), so a warm compile of a small class costs tens of milliseconds. Nothing is written to
 * disk: sources, generated sources and class files live in memory. Nothing is printed either: diagnostics are
 * collected, and what javac prints (its crash report, when javac itself throws) is captured in
 * {@link Compilation#output()}, read by {@link Compilation#javacCrash()}, and shown by {@link Compilation#report()}.
 */
public final class Javac {
    /** The options every compile gets unless replaced by {@link #withBaseOptions}. */
    public static final List<String> DEFAULT_OPTIONS = List.of("-Xlint:all,-processing", "-parameters");

    /** The default time bound of one compile. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final JavaCompiler COMPILER = Objects.requireNonNull(
            ToolProvider.getSystemJavaCompiler(), "no system Java compiler: run the tests on a JDK");

    private static final AtomicInteger THREADS = new AtomicInteger();
    /**
     * The stack of a compile thread: that of a build's main thread (8 MB on Linux) and then some, not a pool thread's
     * 1 MB. javac recurses over the nesting of the source; on a 1 MB stack it overflows on the deepest sources the
     * tests compile or not depending on how much of javac the JIT has compiled yet, which made crash judgements
     * flaky. Sources meant to crash javac nest far deeper than this covers.
     */
    private static final long STACK_BYTES = 16L << 20;

    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(null, r, "adjoint-test-javac-" + THREADS.incrementAndGet(), STACK_BYTES);
        t.setDaemon(true);
        return t;
    });

    /** Idle file managers per class path; a compile takes one and gives it back when it completes in time. */
    private static final Map<String, ConcurrentLinkedDeque<StandardJavaFileManager>> POOL = new ConcurrentHashMap<>();

    private final Supplier<? extends List<? extends Processor>> processors;
    private final List<String> baseOptions;
    private final List<String> extraOptions;
    private final String classPath;
    private final Duration timeout;

    private Javac(Supplier<? extends List<? extends Processor>> processors, List<String> baseOptions,
            List<String> extraOptions, String classPath, Duration timeout) {
        this.processors = processors;
        this.baseOptions = List.copyOf(baseOptions);
        this.extraOptions = List.copyOf(extraOptions);
        this.classPath = classPath;
        this.timeout = timeout;
    }

    /**
     * The system property naming a processor class (public, with a public no-argument constructor) that
     * {@link #adjoint()} uses instead of {@link AdjointProcessor}: a whole test run can then be pointed at a stand-in
     * such as {@link NumericalGradProcessor} to test the tests.
     */
    public static final String PROCESSOR_PROPERTY = "adjoint.test.processor";

    /**
     * A compile with a fresh {@link AdjointProcessor} (or the class named by {@link #PROCESSOR_PROPERTY}),
     * {@link #DEFAULT_OPTIONS} and the test class path.
     */
    public static Javac adjoint() {
        String override = System.getProperty(PROCESSOR_PROPERTY, "");
        Supplier<List<Processor>> processors = override.isEmpty()
                ? () -> List.of(new AdjointProcessor())
                : () -> List.of(instantiate(override));
        return new Javac(processors, DEFAULT_OPTIONS, List.of(), System.getProperty("java.class.path"),
                DEFAULT_TIMEOUT);
    }

    private static Processor instantiate(String className) {
        try {
            return (Processor) Class.forName(className).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create processor " + className, e);
        }
    }

    /** A compile without annotation processing ({@code -proc:none}). */
    public static Javac plain() {
        return new Javac(null, DEFAULT_OPTIONS, List.of(), System.getProperty("java.class.path"), DEFAULT_TIMEOUT);
    }

    /** The same, with {@code -Werror}: any warning (with {@code -Xlint:all,-processing}) fails the compile. */
    public Javac strict() {
        return extraOptions.contains("-Werror") ? this : withOptions("-Werror");
    }

    /** The same, with more javac options appended. */
    public Javac withOptions(String... options) {
        List<String> extra = new ArrayList<>(extraOptions);
        extra.addAll(List.of(options));
        return new Javac(processors, baseOptions, extra, classPath, timeout);
    }

    /** The same, with the base options (by default {@link #DEFAULT_OPTIONS}) replaced. */
    public Javac withBaseOptions(List<String> options) {
        return new Javac(processors, options, extraOptions, classPath, timeout);
    }

    /**
     * The same, with other processors. The supplier is called once per compile, so processors are never shared
     * between compiles. {@code null} means no annotation processing.
     */
    public Javac withProcessors(Supplier<? extends List<? extends Processor>> processors) {
        return new Javac(processors, baseOptions, extraOptions, classPath, timeout);
    }

    /** The same, with another class path (entries separated by {@link File#pathSeparator}). */
    public Javac withClassPath(String classPath) {
        return new Javac(processors, baseOptions, extraOptions, classPath, timeout);
    }

    /**
     * The same, with another time bound. A compile that runs longer returns a failed {@link Compilation} with
     * {@link Compilation#timedOut()} set; javac is asked to stop at its next phase boundary and interrupted.
     */
    public Javac withTimeout(Duration timeout) {
        return new Javac(processors, baseOptions, extraOptions, classPath, Objects.requireNonNull(timeout));
    }

    /** The options javac gets, in order. */
    public List<String> options() {
        List<String> all = new ArrayList<>(baseOptions);
        all.addAll(extraOptions);
        if (processors == null) {
            all.add("-proc:none");
        }
        return Collections.unmodifiableList(all);
    }

    /**
     * Compiles Java sources, each a complete compilation unit. The class name of each is taken from its
     * {@code package} declaration and its first top-level type (a public one if there is one).
     */
    public Compilation compile(String... sources) {
        return compile(List.of(sources));
    }

    /** Compiles Java sources, as {@link #compile(String...)}. */
    public Compilation compile(List<String> sources) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String source : sources) {
            String name = SourceNames.qualifiedName(source);
            if (byName.put(name, source) != null) {
                throw new IllegalArgumentException("two sources declare " + name);
            }
        }
        return compile(byName);
    }

    /** Compiles Java sources keyed by the qualified name of their (main) top-level class. */
    public Compilation compile(Map<String, String> sources) {
        List<JavaFileObject> units = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            units.add(InMemoryFiles.source(e.getKey(), e.getValue()));
        }
        long start = System.nanoTime();
        ConcurrentLinkedDeque<StandardJavaFileManager> pool =
                POOL.computeIfAbsent(classPath, cp -> new ConcurrentLinkedDeque<>());
        StandardJavaFileManager standard = pool.pollFirst();
        if (standard == null) {
            standard = newFileManager(classPath);
        }
        InMemoryFiles files = new InMemoryFiles(standard);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        List<String> options = options();
        // javac's log writer: what javac prints besides diagnostics (which go to the collector), above all its
        // crash report when javac itself throws. Without one, javac would print to System.err, into the build log.
        StringWriter output = new StringWriter();
        JavacTask task = (JavacTask) COMPILER.getTask(output, files, diagnostics, options, null, units);
        if (processors != null) {
            task.setProcessors(List.copyOf(processors.get()));
        }
        task.addTaskListener(new TaskListener() {
            @Override
            public void started(TaskEvent e) {
                if (cancelled.get()) {
                    throw new CompileCancelled();
                }
            }
        });
        task.setLocale(Locale.ENGLISH);

        Boolean ok = null;
        Throwable crash = null;
        boolean timedOut = false;
        Future<Boolean> future = EXECUTOR.submit(task);
        try {
            ok = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            timedOut = true;
            cancelled.set(true);
            future.cancel(true);
        } catch (ExecutionException e) {
            crash = e.getCause();
            if (crash instanceof RuntimeException && crash.getCause() != null
                    && crash.getClass().getName().startsWith("com.sun.tools.javac")) {
                crash = crash.getCause();   // javac wraps what processors throw
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelled.set(true);
            future.cancel(true);
            throw new IllegalStateException("interrupted while compiling", e);
        }
        if (!timedOut) {
            pool.offerFirst(standard);   // the compile is over: the file manager can be reused
        }
        long nanos = System.nanoTime() - start;
        List<Compilation.Diag> diags = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            diags.add(Compilation.Diag.of(d));
        }
        boolean succeeded = Boolean.TRUE.equals(ok) && crash == null && !timedOut;
        return new Compilation(succeeded, timedOut, crash, output.toString(), diags, sources,
                files.generatedSources(), files.classFiles(), options, Duration.ofNanos(nanos))
                .withResources(files.generatedResources());
    }

    private static StandardJavaFileManager newFileManager(String classPath) {
        StandardJavaFileManager fm = COMPILER.getStandardFileManager(null, Locale.ENGLISH, StandardCharsets.UTF_8);
        List<File> entries = new ArrayList<>();
        if (classPath != null) {
            for (String entry : classPath.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    entries.add(new File(entry));
                }
            }
        }
        try {
            fm.setLocation(StandardLocation.CLASS_PATH, entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fm;
    }

    /** Thrown from a task listener to stop a compile that ran out of time. */
    private static final class CompileCancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CompileCancelled() {
            super("compile cancelled: time bound exceeded", null, false, false);
        }
    }
}
