package dev.adjoint.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * The outcome of one in-memory compile (see {@link Javac}): success, diagnostics, the sources the annotation
 * processors generated, and the class files, loadable through a class loader of this compilation's own.
 *
 * <p>Immutable and thread-safe.
 */
public final class Compilation {
    private final boolean succeeded;
    private final boolean timedOut;
    private final Throwable crash;
    private final String output;
    private final JavacCrash javacCrash;
    private final List<Diag> diagnostics;
    private final Map<String, String> sources;
    private final Map<String, String> generatedSources;
    private final Map<String, byte[]> classFiles;
    private final List<String> options;
    private final Duration elapsed;
    private volatile ClassLoader loader;
    private Map<String, String> generatedResources = Map.of();

    Compilation(boolean succeeded, boolean timedOut, Throwable crash, String output, List<Diag> diagnostics,
            Map<String, String> sources, Map<String, String> generatedSources, Map<String, byte[]> classFiles,
            List<String> options, Duration elapsed) {
        this.succeeded = succeeded;
        this.timedOut = timedOut;
        this.crash = crash;
        this.output = output;
        this.javacCrash = JavacCrash.parse(output);
        this.diagnostics = List.copyOf(diagnostics);
        this.sources = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sources));
        this.generatedSources = Collections.unmodifiableMap(generatedSources);
        this.classFiles = Collections.unmodifiableMap(classFiles);
        this.options = List.copyOf(options);
        this.elapsed = elapsed;
    }

    /** Compiles with {@link Javac#adjoint()}: the Adjoint processor, warnings collected but allowed. */
    public static Compilation compile(String... sources) {
        return Javac.adjoint().compile(sources);
    }

    /** Compiles with {@link Javac#adjoint()}: the Adjoint processor, warnings collected but allowed. */
    public static Compilation compile(Map<String, String> sources) {
        return Javac.adjoint().compile(sources);
    }

    /** Compiles with the Adjoint processor and {@code -Xlint:all,-processing -Werror}. */
    public static Compilation compileStrict(String... sources) {
        return Javac.adjoint().strict().compile(sources);
    }

    /** Whether javac reported success: no errors (with -Werror, no warnings), no crash, in time. */
    public boolean succeeded() {
        return succeeded;
    }

    /** Whether the compile ran out of time (see {@link Javac#withTimeout}). */
    public boolean timedOut() {
        return timedOut;
    }

    /**
     * What a processor (or javac, rarely) threw out of the compile, or null. A crash inside javac itself usually
     * throws nothing: javac prints a report instead, see {@link #javacCrash()}.
     */
    public Throwable crash() {
        return crash;
    }

    /**
     * What javac printed to its log writer, which is not the diagnostics (those are in {@link #diagnostics()}):
     * normally nothing; javac's crash report when javac itself threw. Never printed, shown by {@link #report()}.
     */
    public String output() {
        return output;
    }

    /** The crash report javac printed when it threw (it then fails the compile without an error), or null. */
    public JavacCrash javacCrash() {
        return javacCrash;
    }

    /** Every diagnostic, in the order javac reported them. */
    public List<Diag> diagnostics() {
        return diagnostics;
    }

    /** The errors. */
    public List<Diag> errors() {
        return ofKind(Diagnostic.Kind.ERROR);
    }

    /** The warnings, mandatory or not. */
    public List<Diag> warnings() {
        return diagnostics.stream()
                .filter(d -> d.kind() == Diagnostic.Kind.WARNING || d.kind() == Diagnostic.Kind.MANDATORY_WARNING)
                .collect(Collectors.toUnmodifiableList());
    }

    /** The diagnostics of one kind. */
    public List<Diag> ofKind(Diagnostic.Kind kind) {
        return diagnostics.stream().filter(d -> d.kind() == kind).collect(Collectors.toUnmodifiableList());
    }

    /** The diagnostics reported against the source of a class (given or generated), by qualified name. */
    public List<Diag> diagnosticsIn(String qualifiedName) {
        String suffix = "/" + qualifiedName.replace('.', '/') + ".java";
        return diagnostics.stream()
                .filter(d -> d.file() != null && d.file().endsWith(suffix))
                .collect(Collectors.toUnmodifiableList());
    }

    /** The sources given to the compiler, by qualified class name. */
    public Map<String, String> sources() {
        return sources;
    }

    /** The sources the processors generated, by qualified class name, in name order. */
    public Map<String, String> generatedSources() {
        return generatedSources;
    }

    /** The other files the processors wrote through the {@code Filer}, by path ({@code pkg/NameGrad.explain.html}). */
    public Map<String, String> generatedResources() {
        return generatedResources;
    }

    Compilation withResources(Map<String, String> resources) {
        this.generatedResources = Collections.unmodifiableMap(new java.util.TreeMap<>(resources));
        return this;
    }

    /** Whether a source of this name was generated. */
    public boolean hasGeneratedSource(String qualifiedName) {
        return generatedSources.containsKey(qualifiedName);
    }

    /**
     * The generated source of a class.
     *
     * @throws AssertionError if none was generated, with the diagnostics in its message
     */
    public String generatedSource(String qualifiedName) {
        String s = generatedSources.get(qualifiedName);
        if (s == null) {
            throw new AssertionError("no generated source " + qualifiedName + "; generated: "
                    + generatedSources.keySet() + "\n" + report());
        }
        return s;
    }

    /** The binary names of the class files written. */
    public Set<String> classNames() {
        return classFiles.keySet();
    }

    /** The class file of a class, by binary name, or null. */
    public byte[] classFile(String binaryName) {
        byte[] b = classFiles.get(binaryName);
        return b == null ? null : b.clone();
    }

    /** Writes this compilation's class files under {@code dir} (a class path entry for a later compilation). */
    public void writeClassFiles(java.nio.file.Path dir) throws java.io.IOException {
        for (String name : classNames()) {
            java.nio.file.Path file = dir.resolve(name.replace('.', '/') + ".class");
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.write(file, classFile(name));
        }
    }

    /** The options javac got. */
    public List<String> options() {
        return options;
    }

    /** How long the compile took. */
    public Duration elapsed() {
        return elapsed;
    }

    /**
     * Loads a compiled class (by binary name, e.g. {@code p.CGrad$FGradient} for nested classes) through this
     * compilation's class loader, which sees this compile's classes first and the test class path after.
     *
     * @throws AssertionError if the class was not compiled here, with the diagnostics in its message
     */
    public Class<?> loadClass(String binaryName) {
        if (!classFiles.containsKey(binaryName)) {
            throw new AssertionError("class " + binaryName + " was not compiled; compiled: " + classFiles.keySet()
                    + "\n" + report());
        }
        try {
            return Class.forName(binaryName, true, classLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new AssertionError("cannot load " + binaryName + ": " + e, e);
        }
    }

    /** This compilation's class loader (one per compilation, created on first use). */
    public ClassLoader classLoader() {
        ClassLoader l = loader;
        if (l == null) {
            synchronized (this) {
                l = loader;
                if (l == null) {
                    l = new InMemoryClassLoader(classFiles, Compilation.class.getClassLoader());
                    loader = l;
                }
            }
        }
        return l;
    }

    /**
     * Fails unless the compile succeeded.
     *
     * @return this
     * @throws AssertionError with {@link #report()} as its message
     */
    public Compilation assertSucceeded() {
        if (!succeeded) {
            throw new AssertionError("compilation failed\n" + report(), crash);
        }
        return this;
    }

    /**
     * Fails unless the compile succeeded without any warning.
     *
     * @return this
     */
    public Compilation assertSucceededWithoutWarnings() {
        assertSucceeded();
        if (!warnings().isEmpty()) {
            throw new AssertionError("compilation had warnings\n" + report());
        }
        return this;
    }

    /**
     * A readable account: outcome, diagnostics, the crash's stack trace, what javac printed (shortened), and the
     * generated sources, numbered.
     */
    public String report() {
        StringBuilder b = new StringBuilder();
        String outcome = succeeded ? "SUCCEEDED" : timedOut ? "TIMED OUT"
                : javacCrash != null ? "FAILED (javac crashed)" : "FAILED";
        b.append(outcome).append(" in ")
                .append(elapsed.toMillis()).append(" ms, options ").append(options).append('\n');
        for (Diag d : diagnostics) {
            b.append("  ").append(d).append('\n');
        }
        if (crash != null) {
            StringWriter w = new StringWriter();
            crash.printStackTrace(new PrintWriter(w));
            b.append("crash: ").append(w).append('\n');
        }
        if (!output.isEmpty()) {
            b.append("---- javac printed ----\n").append(shortOutput()).append('\n');
        }
        generatedSources.forEach((name, text) -> b.append("---- generated ").append(name).append(" ----\n")
                .append(numbered(text)));
        return b.toString();
    }

    /** Lines of {@link #output()} that {@link #shortOutput()} keeps in full. */
    static final int OUTPUT_LINES = 80;

    /**
     * {@link #output()} for a failure message: its first {@value #OUTPUT_LINES} lines, then only the lines that
     * name our own code (so a crash trace through {@code dev.adjoint} shows where), and how many lines were left out.
     */
    public String shortOutput() {
        List<String> lines = output.lines().toList();
        if (lines.size() <= OUTPUT_LINES) {
            return String.join("\n", lines);
        }
        StringBuilder b = new StringBuilder(String.join("\n", lines.subList(0, OUTPUT_LINES)));
        int omitted = 0;
        for (String line : lines.subList(OUTPUT_LINES, lines.size())) {
            if (line.contains(JavacCrash.OUR_PACKAGE)) {
                if (omitted > 0) {
                    b.append("\n\t... ").append(omitted).append(" lines left out");
                    omitted = 0;
                }
                b.append('\n').append(line);
            } else {
                omitted++;
            }
        }
        if (omitted > 0) {
            b.append("\n\t... ").append(omitted).append(" lines left out");
        }
        return b.toString();
    }

    /** A source with line numbers, for failure messages. */
    public static String numbered(String text) {
        StringBuilder b = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            b.append(String.format(Locale.ROOT, "%4d  %s%n", i + 1, lines[i]));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return report();
    }

    /**
     * One diagnostic.
     *
     * @param kind    error, warning, note, ...
     * @param file    the file's name (for in-memory sources, {@code /p/C.java}; generated ones,
     *                {@code /SOURCE_OUTPUT/p/CGrad.java}), or null
     * @param line    1-based, or {@link Diagnostic#NOPOS}
     * @param column  1-based, or {@link Diagnostic#NOPOS}
     * @param message the message, in English
     * @param code    javac's key, e.g. {@code compiler.err.cant.resolve}, or null
     */
    public record Diag(Diagnostic.Kind kind, String file, long line, long column, String message, String code) {
        static Diag of(Diagnostic<? extends JavaFileObject> d) {
            JavaFileObject source = d.getSource();
            return new Diag(d.getKind(), source == null ? null : source.toUri().getPath(), d.getLineNumber(),
                    d.getColumnNumber(), d.getMessage(Locale.ENGLISH), d.getCode());
        }

        @Override
        public String toString() {
            return (file == null ? "" : file + ":") + (line == Diagnostic.NOPOS ? "" : line + ":" + column + ": ")
                    + kind.toString().toLowerCase(Locale.ROOT) + ": " + message;
        }
    }

    /** Child-first over this compilation's classes, so a class compiled here wins over one of the same name. */
    private static final class InMemoryClassLoader extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> classFiles;

        InMemoryClassLoader(Map<String, byte[]> classFiles, ClassLoader parent) {
            super("adjoint-test-compilation", parent);
            this.classFiles = classFiles;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            byte[] bytes = classFiles.get(name);
            if (bytes == null) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = defineClass(name, bytes, 0, bytes.length);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            throw new ClassNotFoundException(name);
        }
    }
}
