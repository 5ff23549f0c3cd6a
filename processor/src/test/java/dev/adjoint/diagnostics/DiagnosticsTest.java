package dev.adjoint.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.diagnostics.DiagnosticId;
import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.WrappingProcessor;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * One test per diagnostic ID (named after it): the construct that triggers it, the message (ID, the construct
 * named, the way out) and the position (line, and column where it is meaningful). docs/DIAGNOSTICS.md shows the
 * same examples. Then error recovery: an error in one method does not stop the others.
 */
class DiagnosticsTest {

    // ------------------------------------------------------------------ helpers

    private static String cls(String... lines) {
        return "package p;\nimport dev.adjoint.Differentiable;\nclass C {\n" + String.join("\n", lines) + "\n}\n";
    }

    /** The errors carrying an ID. */
    private static List<Compilation.Diag> errors(Compilation c, DiagnosticId id) {
        return c.errors().stream().filter(d -> d.message().startsWith("[" + id.name() + "] "))
                .collect(Collectors.toList());
    }

    /**
     * Compiles, expects exactly one error of {@code id} (and no crash), at {@code line}, at the column of the first
     * occurrence of {@code at} on that line (null: any column), whose message names {@code detail}.
     */
    private static Compilation.Diag expect(String source, DiagnosticId id, int line, String at, String detail) {
        Compilation c = Javac.adjoint().compile(source);
        assertNull(c.crash(), c::report);
        assertFalse(c.succeeded(), c::report);
        List<Compilation.Diag> found = errors(c, id);
        assertEquals(1, found.size(), () -> "expected one " + id + "\n" + c.report());
        Compilation.Diag d = found.get(0);
        assertTrue(d.message().startsWith("[" + id.name() + "] " + id.title() + ": "), d::message);
        assertTrue(d.message().endsWith(". Way out: " + id.wayOut() + "."), d::message);
        assertTrue(d.message().contains(detail), () -> "no '" + detail + "' in " + d.message());
        assertFalse(d.message().contains("\n"), "one line");
        assertEquals(line, d.line(), c::report);
        assertTrue(d.column() > 0, c::report);
        if (at != null) {
            String text = source.split("\n", -1)[line - 1];
            int column = text.indexOf(at) + 1;
            assertTrue(column > 0, "no '" + at + "' on line " + line);
            assertEquals(column, d.column(), () -> "column of '" + at + "'\n" + c.report());
        }
        return d;
    }

    // ------------------------------------------------------------------ one test per ID

    @Test
    void adj001() {
        expect(cls("    @Differentiable static double f(double x) {",
                "        L: { x = x + 1; }",
                "        return x;",
                "    }"), DiagnosticId.ADJ001, 5, "L:", "label L on a statement that is not a loop");
        expect(cls("    @Differentiable static double f(double x) {",
                "        class Local { }",
                "        return x;",
                "    }"), DiagnosticId.ADJ001, 5, "class", "local class declaration");
        expect(cls("    @Differentiable static double f(double x) {",
                "        while (x < 10) { x = x * 2; break nowhere; }",
                "        return x;",
                "    }"), DiagnosticId.ADJ001, 5, "break nowhere", "no enclosing loop is labeled nowhere");
        expect(cls("    @Differentiable static double f(double x) {",
                "        if (x > 1) continue;",
                "        return x;",
                "    }"), DiagnosticId.ADJ001, 5, "continue", "continue outside a loop");
    }

    @Test
    void adj002() {
        expect(cls("    @Differentiable static double f(double x) {",
                "        double[] a = null;",
                "        return x;",
                "    }"), DiagnosticId.ADJ002, 5, "null", "null");
        expect(cls("    @Differentiable static double f(double x) {",
                "        double[] a = new double[] {x};",
                "        return x + a.length + (new double[] {x} instanceof Object ? 1 : 0);",
                "    }"), DiagnosticId.ADJ002, 6, "instanceof", "instanceof");
    }

    @Test
    void adj003() {
        expect(cls("    @Differentiable static double f(double x) {",
                "        float y = 2;",
                "        return x * y;",
                "    }"), DiagnosticId.ADJ003, 5, "float", "float");
        expect(cls("    @Differentiable static double f(double x) {",
                "        Double y = x;",
                "        return y;",
                "    }"), DiagnosticId.ADJ003, 5, "Double", "Double");
    }

    @Test
    void adj004() {
        expect(cls("    @Differentiable(wrt = \"y\") static double f(double x) {",
                "        return x;",
                "    }"), DiagnosticId.ADJ004, 4, "\"y\"", "\"y\" is not a parameter of f");
    }

    @Test
    void adj005() {
        expect(cls("    @Differentiable(wrt = {\"x\", \"n\"}) static double f(double x, int n) {",
                "        return x * n;",
                "    }"), DiagnosticId.ADJ005, 4, "\"n\"", "parameter n of type int");
        expect(cls("    @Differentiable static double f(int n) {",
                "        return n;",
                "    }"), DiagnosticId.ADJ005, 4, "@Differentiable", "no double, double[] or double[][] parameter");
    }

    @Test
    void adj006() {
        expect(cls("    @Differentiable double f(double x) {",
                "        return x;",
                "    }"), DiagnosticId.ADJ006, 4, "f(", "f is an instance method");
    }

    @Test
    void adj007() {
        expect(cls("    @Differentiable static long f(double x) {",
                "        return 1L;",
                "    }"), DiagnosticId.ADJ007, 4, "long", "f returns long");
        expect(cls("    @Differentiable static double f(double x) {",
                "        return x > 1;",
                "    }"), DiagnosticId.ADJ007, 5, "> 1", "returns a boolean");
    }

    @Test
    void adj008() {
        expect(cls("    static double helper(double v) { return v * v; }",
                "    @Differentiable static double f(double x) {",
                "        return helper(x) + 1;",
                "    }"), DiagnosticId.ADJ008, 6, "x)", "helper(...) receives a value that depends on");
    }

    @Test
    void adj009() {
        expect(cls("    @Differentiable static double f(double x) {",
                "        return x < 1 ? x : f(x / 2);",
                "    }"), DiagnosticId.ADJ009, 5, "(x / 2)", "f calls itself");
    }

    @Test
    void adj010() {
        expect(cls("    @Differentiable static double f(double[] a) {",
                "        a[0] = a[0] * 2;",
                "        return a[0];",
                "    }"), DiagnosticId.ADJ010, 5, "= a[0]", "belongs to parameter 'a'");
    }

    @Test
    void adj011() {
        expect(cls("    @Differentiable static double f(double x) {",
                "        java.util.function.DoubleUnaryOperator g = v -> v * v;",
                "        return x;",
                "    }"), DiagnosticId.ADJ011, 5, "v ->", "lambda");
        expect(cls("    @Differentiable static double f(double x) {",
                "        java.util.function.DoubleUnaryOperator g = Math::sin;",
                "        return x;",
                "    }"), DiagnosticId.ADJ011, 5, "Math::sin", "method reference");
    }

    @Test
    void adj012() {
        expect(cls("    @Differentiable static double f(double x) {",
                "        try { x = x * 2; } catch (RuntimeException e) { x = 0; }",
                "        return x;",
                "    }"), DiagnosticId.ADJ012, 5, "try", "try statement");
    }

    @Test
    void adj013() {
        expect(cls("    @Differentiable static double f(double x, int k) {",
                "        switch (k) { case 1: x = x * 2; break; default: x = x + 1; }",
                "        return x;",
                "    }"), DiagnosticId.ADJ013, 5, "switch", "switch statement");
        expect(cls("    @Differentiable static double f(double x, int k) {",
                "        return switch (k) { case 1 -> x; default -> 2 * x; };",
                "    }"), DiagnosticId.ADJ013, 5, "switch", "switch expression");
    }

    @Test
    void adj014() {
        expect(cls("    @Differentiable static double f(double x) {",
                "        synchronized (C.class) { x = x * 2; }",
                "        return x;",
                "    }"), DiagnosticId.ADJ014, 5, "synchronized", "synchronized block");
    }

    @Test
    void adj015() {
        expect(cls("    @Differentiable static double f(double x) {",
                "        String s = \"a\";",
                "        return x;",
                "    }"), DiagnosticId.ADJ015, 5, "String", "String");
        expect(cls("    @Differentiable static double f(double x) {",
                "        return x + \"1\".length();",
                "    }"), DiagnosticId.ADJ015, 5, "\"1\"", "method length of a string");
    }

    @Test
    void adj016() {
        expect(cls("    static double scale = 2;",
                "    @Differentiable static double f(double x) {",
                "        return x * scale;",
                "    }"), DiagnosticId.ADJ016, 6, "scale", "static field scale is not final");
        expect(cls("    double weight = 2;",
                "    @Differentiable static double f(double x) {",
                "        return x * weight;",
                "    }"), DiagnosticId.ADJ016, 6, "weight", "instance field weight");
    }

    @Test
    void adj017() {
        expect(cls("    @Differentiable static double f(double... xs) {",
                "        return xs[0];",
                "    }"), DiagnosticId.ADJ017, 4, "xs)", "parameter xs is varargs");
    }

    @Test
    void adj018() {
        expect(cls("    @Differentiable static <T> double f(double x) {",
                "        return x;",
                "    }"), DiagnosticId.ADJ018, 4, "T>", "f has type parameters");
    }

    /**
     * javac always offers its Tree API; a compiler that does not is simulated by a proxy environment from which
     * javac's cannot be dug out (Adjoint unwraps the usual build-tool and IDE wrappers: fields typed as the
     * environment or as Object, in the wrapper or in a proxy's handler; an array hides it).
     */
    @Test
    void adj019() {
        String source = cls("    @Differentiable static double f(double x) {",
                "        return x * x;",
                "    }");
        Compilation c = Javac.adjoint().withProcessors(() -> List.of(new WrappingProcessor(env -> {
            ProcessingEnvironment[] hidden = {env};
            return (ProcessingEnvironment) Proxy.newProxyInstance(DiagnosticsTest.class.getClassLoader(),
                    new Class<?>[] {ProcessingEnvironment.class}, (proxy, method, args) -> {
                        try {
                            return method.invoke(hidden[0], args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }))).compile(source);
        assertNull(c.crash(), c::report);
        List<Compilation.Diag> found = errors(c, DiagnosticId.ADJ019);
        assertEquals(1, found.size(), c::report);
        Compilation.Diag d = found.get(0);
        assertTrue(d.message().contains("does not offer javac's Tree API"), d::message);
        assertTrue(d.message().endsWith("Way out: " + DiagnosticId.ADJ019.wayOut() + "."), d::message);
        assertEquals(4, d.line(), c::report);
        assertTrue(c.generatedSources().isEmpty(), c::report);
    }

    /**
     * An internal error has no source that triggers it on purpose (each one found is a bug, fixed by then). The
     * path that reports it is tested by failing the one thing outside Adjoint's control: writing the file.
     */
    @Test
    void adj020() {
        String source = cls("    @Differentiable static double f(double x) {",
                "        return x * x;",
                "    }");
        Compilation c = Javac.adjoint().withProcessors(() -> List.of(new WrappingProcessor(FailingFiler::new)))
                .compile(source);
        assertNull(c.crash(), c::report);
        List<Compilation.Diag> found = errors(c, DiagnosticId.ADJ020);
        assertEquals(1, found.size(), c::report);
        Compilation.Diag d = found.get(0);
        assertTrue(d.message().contains("cannot write p.CGrad"), d::message);
        assertTrue(d.message().endsWith("Way out: " + DiagnosticId.ADJ020.wayOut() + "."), d::message);
        assertEquals(3, d.line(), c::report);   // at the class
    }

    @Test
    void adj021() {
        expect(cls("    @Differentiable static double f(double x) {",
                "        return x * y;",
                "    }"), DiagnosticId.ADJ021, 5, "y;", "unknown name y");
        expect(cls("    @Differentiable static double f(double x) {",
                "        return x * nowhere(x);",
                "    }"), DiagnosticId.ADJ021, 5, "(x);", "unknown method nowhere");
    }

    @Test
    void adj022() {
        expect(cls("    @Differentiable static double f(double x) {",
                "        return Math.random() * x;",
                "    }"), DiagnosticId.ADJ022, 5, "() * x", "Math.random");
    }

    @Test
    void adj023() {
        expect("package p;\nimport dev.adjoint.Differentiable;\nabstract class C {\n"
                + "    @Differentiable static native double f(double x);\n}\n",
                DiagnosticId.ADJ023, 4, "f(", "f has no body");
    }

    @Test
    void adj024() {
        expect(cls("    @Differentiable static double f(double x) {",
                "        double[] a = {x};",
                "        return a.clone()[0];",
                "    }"), DiagnosticId.ADJ024, 6, "()[0]", "instance method call a.clone()");
    }

    @Test
    void adj025() {
        expect(cls("    @Differentiable static double f(double x) {",
                "        assert x > 0;",
                "        return x;",
                "    }"), DiagnosticId.ADJ025, 5, "assert", "assert x > 0");
    }

    @Test
    void adj026() {
        expect(cls("    @Differentiable static double f(double x, boolean b) {",
                "        int n = 1;",
                "        if (n) { x = -x; }",
                "        return x;",
                "    }"), DiagnosticId.ADJ026, 6, "n)", "a condition of type int");
        expect(cls("    @Differentiable static double f(double x) {",
                "        int n = x;",
                "        return n;",
                "    }"), DiagnosticId.ADJ026, 5, "x;", "a double assigned to int n");
    }

    @Test
    void adj027() {
        expect(cls("    @Differentiable static double f(double x) {",
                "        if (x > 0) return;",
                "        return x;",
                "    }"), DiagnosticId.ADJ027, 5, "return;", "return without a value");
        expect(cls("    @Differentiable static double f(double x) {",
                "        throw new UnsupportedOperationException(\"not yet\");",
                "    }"), DiagnosticId.ADJ027, 4, "f(", "f has no return statement");
    }

    @Test
    void adj028() {
        expect(cls("    @Differentiable static double f(double x, Object o) {",
                "        return x;",
                "    }"), DiagnosticId.ADJ028, 4, "Object", "parameter o of type java.lang.Object");
    }

    /**
     * javac does not hand annotation processors the methods of local and anonymous classes (they are entered
     * only when their enclosing method body is attributed, after processing), so no source triggers ADJ029: the
     * annotation there is ignored. What can be tested: no crash, no error, nothing generated.
     */
    @Test
    void adj029() {
        Compilation c = Javac.adjoint().compile(cls(
                "    static Object anonymous = new Object() {",
                "        @Differentiable static double f(double x) { return x; }",
                "    };",
                "    static double local(double y) {",
                "        class Local { @Differentiable static double g(double x) { return x; } }",
                "        return y;",
                "    }"));
        assertNull(c.crash(), c::report);
        assertTrue(c.succeeded(), c::report);
        assertTrue(errors(c, DiagnosticId.ADJ029).isEmpty(), c::report);
        assertTrue(c.generatedSources().isEmpty(), c::report);
    }

    @Test
    void adj030() {
        StringBuilder nested = new StringBuilder("x");
        for (int i = 0; i < 300; i++) {
            nested.insert(0, "(x > " + i + " ? ").append(" : 1)");
        }
        Compilation.Diag d = expect(cls("    @Differentiable static double f(double x) {",
                "        return " + nested + ";",
                "    }"), DiagnosticId.ADJ030, 5, null, "conditional expressions (?:) nested more than 250");
        StringBuilder sum = new StringBuilder("x");
        for (int i = 0; i < 3_000; i++) {
            sum.append(" + x * ").append(i % 7);
        }
        expect(cls("    @Differentiable static double f(double x) {",
                "        return " + sum + ";",
                "    }"), DiagnosticId.ADJ030, 5, null, "an expression nested more than 1200 levels deep");
        assertTrue(d.column() > 9, d::toString);
    }

    @Test
    void adj031() {
        java.util.Map<String, String> sources = new java.util.LinkedHashMap<>();
        sources.put("p.Outer", "package p;\nimport dev.adjoint.Differentiable;\nclass Outer {\n"
                + "    static class Inner {\n        @Differentiable static double f(double x) { return x * x; }\n"
                + "    }\n}\n");
        sources.put("p.Outer_Inner", "package p;\nimport dev.adjoint.Differentiable;\nclass Outer_Inner {\n"
                + "    @Differentiable static double g(double x) { return x * x; }\n}\n");
        Compilation c = Javac.adjoint().compile(sources);
        assertNull(c.crash(), c::report);
        List<Compilation.Diag> found = errors(c, DiagnosticId.ADJ031);
        assertEquals(1, found.size(), c::report);
        Compilation.Diag d = found.get(0);
        assertTrue(d.message().contains("p.Outer_InnerGrad"), d::message);
        assertTrue(d.message().endsWith(". Way out: " + DiagnosticId.ADJ031.wayOut() + "."), d::message);
        assertTrue(d.line() == 3 || d.line() == 4, c::report);
    }

    @Test
    void adj032() {
        String source = cls("    @Differentiable static double f(double x) {", "        return x * x;", "    }");
        Compilation first = Javac.adjoint().compile(source);
        assertTrue(first.succeeded(), first::report);
        java.util.Map<String, String> sources = new java.util.LinkedHashMap<>();
        sources.put("p.C", source);
        sources.put("p.CGrad", first.generatedSource("p.CGrad"));
        Compilation again = Javac.adjoint().compile(sources);
        assertNull(again.crash(), again::report);
        List<Compilation.Diag> found = errors(again, DiagnosticId.ADJ032);
        assertEquals(1, found.size(), again::report);
        Compilation.Diag d = found.get(0);
        assertTrue(d.message().contains("p.CGrad") && d.message().contains("earlier build"), d::message);
        assertTrue(d.message().endsWith(". Way out: " + DiagnosticId.ADJ032.wayOut() + "."), d::message);
        assertEquals(3, d.line(), again::report);
    }

    @Test
    void adj033() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            body.append("        s = s * 0.999 + x * ").append(i % 13).append(";\n");
        }
        Compilation.Diag d = expect(cls("    @Differentiable static double f(double x) {",
                "        double s = 0;", body + "        return s;", "    }"), DiagnosticId.ADJ033, 4, null,
                "64 KB");
        assertTrue(d.message().contains("'f'"), d::message);
        // a long method below the limit is differentiated
        StringBuilder fits = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            fits.append("        s = s * 0.999 + x * ").append(i % 13).append(";\n");
        }
        Compilation c = Javac.adjoint().compile(cls("    @Differentiable static double f(double x) {",
                "        double s = 0;", fits + "        return s;", "    }"));
        assertTrue(c.succeeded(), c::report);
    }

    @Test
    void everyIdHasATestAndADocumentedEntry() throws Exception {
        String doc = java.nio.file.Files.readString(docs());
        for (DiagnosticId id : DiagnosticId.values()) {
            DiagnosticsTest.class.getDeclaredMethod(id.name().toLowerCase(Locale.ROOT));
            assertTrue(doc.contains("### " + id.name() + "\n**" + id.title() + "**"), "docs: " + id);
        }
    }

    private static java.nio.file.Path docs() {
        for (java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            java.nio.file.Path p = dir.resolve("docs/DIAGNOSTICS.md");
            if (java.nio.file.Files.exists(p)) {
                return p;
            }
        }
        throw new AssertionError("no docs/DIAGNOSTICS.md above " + java.nio.file.Path.of("").toAbsolutePath());
    }

    // ------------------------------------------------------------------ error recovery

    @Test
    void twoBadMethodsGiveTwoErrors() {
        Compilation c = Javac.adjoint().compile(cls(
                "    @Differentiable static double f(double x) {",
                "        synchronized (C.class) { x = x * 2; }",
                "        return x;",
                "    }",
                "    static double helper(double v) { return v; }",
                "    @Differentiable static double g(double x) {",
                "        return helper(x);",
                "    }"));
        assertNull(c.crash(), c::report);
        assertEquals(1, errors(c, DiagnosticId.ADJ014).size(), c::report);
        assertEquals(5, errors(c, DiagnosticId.ADJ014).get(0).line());
        assertEquals(1, errors(c, DiagnosticId.ADJ008).size(), c::report);
        assertEquals(10, errors(c, DiagnosticId.ADJ008).get(0).line());
        assertEquals(2, c.errors().size(), c::report);
    }

    @Test
    void oneBadMethodDoesNotStopTheGoodOne() {
        Compilation c = Javac.adjoint().compile(cls(
                "    @Differentiable static double bad(double x) {",
                "        String s = \"x\";",
                "        return x;",
                "    }",
                "    @Differentiable static double good(double x) {",
                "        return x * x;",
                "    }"));
        assertNull(c.crash(), c::report);
        assertEquals(1, c.errors().size(), c::report);
        assertEquals(5, errors(c, DiagnosticId.ADJ015).get(0).line());
        String grad = c.generatedSource("p.CGrad");
        assertTrue(grad.contains("GoodGradient good("), grad);
        assertFalse(grad.contains("BadGradient"), grad);
    }

    @Test
    void manyErrorsInOneMethodAreAllReported() {
        Compilation c = Javac.adjoint().compile(cls(
                "    @Differentiable static double f(double x) {",
                "        float a = 1;",
                "        String s = \"a\";",
                "        assert x > 0;",
                "        return x;",
                "    }"));
        assertNull(c.crash(), c::report);
        assertEquals(Set.of(5L, 6L, 7L), c.errors().stream().map(Compilation.Diag::line).collect(Collectors.toSet()),
                c::report);
    }

    @Test
    void errorsInSeveralClassesAreAllReported() {
        String a = "package p;\nimport dev.adjoint.Differentiable;\nclass A {\n"
                + "    @Differentiable static double f(double x) { try { } finally { } return x; }\n}\n";
        String b = "package p;\nimport dev.adjoint.Differentiable;\nclass B {\n"
                + "    @Differentiable static double f(double x) { return x * x; }\n}\n";
        Compilation c = Javac.adjoint().compile(Map.of("p.A", a, "p.B", b));
        assertNull(c.crash(), c::report);
        assertEquals(1, c.errors().size(), c::report);
        assertTrue(c.errors().get(0).message().startsWith("[ADJ012]"), c::report);
        assertTrue(c.hasGeneratedSource("p.BGrad"), c::report);
        assertFalse(c.hasGeneratedSource("p.AGrad"), c::report);
    }

    // ------------------------------------------------------------------ environments

    /**
     * A build tool's wrapper (a field holds javac's environment, which Adjoint finds) whose filer fails to create
     * files.
     */
    static final class FailingFiler extends WrappingProcessor.DelegatingEnvironment {
        FailingFiler(ProcessingEnvironment delegate) {
            super(delegate);
        }

        @Override
        public Filer getFiler() {
            return new Filer() {
                @Override
                public JavaFileObject createSourceFile(CharSequence name, Element... originatingElements) {
                    throw new IllegalStateException("disk full");
                }

                @Override
                public JavaFileObject createClassFile(CharSequence name, Element... originatingElements) {
                    throw new IllegalStateException("disk full");
                }

                @Override
                public FileObject createResource(JavaFileManager.Location location, CharSequence moduleAndPkg,
                        CharSequence relativeName, Element... originatingElements) {
                    throw new IllegalStateException("disk full");
                }

                @Override
                public FileObject getResource(JavaFileManager.Location location, CharSequence moduleAndPkg,
                        CharSequence relativeName) throws IOException {
                    throw new IOException("disk full");
                }
            };
        }
    }
}
