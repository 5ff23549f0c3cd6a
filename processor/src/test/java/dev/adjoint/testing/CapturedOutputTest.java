package dev.adjoint.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A compile prints nothing: diagnostics are collected, and what javac prints, its crash report above all, is
 * captured in {@link Compilation#output()} and read by {@link Compilation#javacCrash()}, so that a build that
 * passes is quiet and a test that fails shows it.
 */
class CapturedOutputTest {

    /**
     * A source that crashes javac 17 and 25 alike: its parser recurses once per parenthesis and overflows its stack
     * long before 1,000,000 of them, even on the harness's 16 MB compile threads (javac's bug; it should report an
     * error). With 100,000, javac 25's parser gets through on 16 MB and its code generator overflows instead, slowly.
     */
    static String crashingSource(String className) {
        int depth = 1_000_000;
        return "package crash;\nimport dev.adjoint.Differentiable;\nclass " + className + " {\n"
                + "    @Differentiable\n    static double f(double x) {\n        return " + "(".repeat(depth) + "x"
                + ")".repeat(depth) + ";\n    }\n}\n";
    }

    @Test
    void javacCrashIsCapturedAndRecognised() {
        for (Javac javac : List.of(Javac.plain(), Javac.adjoint())) {
            Compilation c = printingNothing(() -> javac.compile(crashingSource("Deep")));
            assertFalse(c.succeeded(), c::report);
            assertNull(c.crash(), c::report);
            assertTrue(c.errors().isEmpty(), c::report);
            JavacCrash crash = c.javacCrash();
            assertNotNull(crash, () -> "a javac crash was not recognised\n" + c.report());
            assertEquals("java.lang.StackOverflowError", crash.exceptionClass(), crash::summary);
            assertFalse(crash.version().isEmpty(), crash::summary);
            assertTrue(crash.truncated(), crash::summary);
            assertTrue(crash.frames().stream().anyMatch(f -> f.contains("com.sun.tools.javac.parser.JavacParser")),
                    c::report);
            assertFalse(crash.inOurCode(), c::report);
            assertTrue(c.output().startsWith(JavacCrash.BANNER), c::report);
            assertTrue(c.report().contains("FAILED (javac crashed)") && c.report().contains(JavacCrash.BANNER),
                    c::report);
        }
    }

    @Test
    void aCompileThatWorksPrintsNothing() {
        Compilation ok = printingNothing(() -> Javac.plain().compile("package q; class Q { int f() { return 1; } }"));
        ok.assertSucceeded();
        assertEquals("", ok.output());
        assertNull(ok.javacCrash());
        Compilation bad = printingNothing(() -> Javac.plain().compile("package q; class R { int f() { return; } }"));
        assertFalse(bad.succeeded());
        assertEquals(1, bad.errors().size(), bad::report);
        assertEquals("", bad.output(), "errors go to the diagnostics, not to the output");
        assertNull(bad.javacCrash());
    }

    /** A crash report as javac prints it, thrown in javac's Attr while our processor's code is on the stack. */
    static final String CRASH_IN_OUR_CODE = """
            An exception has occurred in the compiler (17.0.15). Please file a bug against the Java compiler via \
            the Java bug reporting page (https://bugreport.java.com) after checking the Bug Database \
            (https://bugs.java.com) for duplicates. Include your program, the following diagnostic, and the \
            parameters passed to the Java compiler in your report. Thank you.
            java.lang.NullPointerException: Cannot read field "type" because "tree" is null
            \tat jdk.compiler/com.sun.tools.javac.comp.Attr.attribTree(Attr.java:675)
            \tat jdk.compiler/com.sun.tools.javac.comp.Attr.attribExpr(Attr.java:720)
            \tat dev.adjoint.processor.emit.Emitter.emit(Emitter.java:42)
            \tat jdk.compiler/com.sun.tools.javac.main.JavaCompiler.compile(JavaCompiler.java:925)
            \tat jdk.compiler/com.sun.tools.javac.api.JavacTaskImpl.call(JavacTaskImpl.java:104)
            \tat java.base/java.lang.Thread.run(Thread.java:840)
            Caused by: java.lang.IllegalStateException: boom
            \tat adjoint-test-compilation//dev.adjoint.testing.Helper.go(Helper.java:7)
            \t... 3 more
            """;

    @Test
    void crashReportsAreParsed() {
        JavacCrash crash = JavacCrash.parse("Note: something first\n" + CRASH_IN_OUR_CODE);
        assertNotNull(crash);
        assertEquals("17.0.15", crash.version());
        assertEquals("java.lang.NullPointerException", crash.exceptionClass());
        assertEquals("java.lang.NullPointerException: Cannot read field \"type\" because \"tree\" is null",
                crash.exception());
        assertEquals(7, crash.frames().size(), crash.frames()::toString);
        assertFalse(crash.truncated());
        assertTrue(crash.inOurCode());
        assertEquals(List.of("dev.adjoint.processor.emit.Emitter.emit(Emitter.java:42)",
                "adjoint-test-compilation//dev.adjoint.testing.Helper.go(Helper.java:7)"), crash.ourFrames());
        assertTrue(crash.summary().contains("Attr.attribTree"), crash::summary);

        String javacOnly = CRASH_IN_OUR_CODE.lines().filter(l -> !l.contains("dev.adjoint"))
                .reduce("", (a, b) -> a + b + "\n");
        JavacCrash theirs = JavacCrash.parse(javacOnly);
        assertNotNull(theirs);
        assertFalse(theirs.inOurCode(), theirs.frames()::toString);

        assertNull(JavacCrash.parse(""));
        assertNull(JavacCrash.parse("warning: [options] bootstrap class path not set\n"));
    }

    @Test
    void classNamesOfFrames() {
        assertEquals("com.sun.tools.javac.comp.Attr",
                JavacCrash.className("jdk.compiler/com.sun.tools.javac.comp.Attr.attribTree(Attr.java:675)"));
        assertEquals("dev.adjoint.processor.AdjointProcessor",
                JavacCrash.className("dev.adjoint.processor.AdjointProcessor.process(AdjointProcessor.java:80)"));
        assertEquals("p.C$Inner", JavacCrash.className("loader//p.C$Inner.lambda$f$0(Unknown Source)"));
        assertEquals("p.C", JavacCrash.className("com.foo.loader/foo@9.0/p.C.run(C.java:101)"));
    }

    @Test
    void failureReportsKeepOurLinesOfALongOutput() {
        StringBuilder out = new StringBuilder(JavacCrash.BANNER + " (17).\njava.lang.StackOverflowError\n");
        for (int i = 0; i < 2_000; i++) {
            out.append(i == 1_500 ? "\tat dev.adjoint.processor.X.y(X.java:1)\n"
                    : "\tat jdk.compiler/com.sun.tools.javac.comp.Attr.attribTree(Attr.java:675)\n");
        }
        Compilation c = new Compilation(false, false, null, out.toString(), List.of(), java.util.Map.of(),
                java.util.Map.of(), java.util.Map.of(), List.of(), java.time.Duration.ZERO);
        String shown = c.shortOutput();
        assertTrue(shown.lines().count() < Compilation.OUTPUT_LINES + 10, shown);
        assertTrue(shown.contains("dev.adjoint.processor.X.y(X.java:1)"), shown);
        assertTrue(shown.contains("lines left out"), shown);
        assertTrue(c.javacCrash().inOurCode());
        assertTrue(c.report().contains("dev.adjoint.processor.X.y"), c::report);
    }

    /** Runs a compile with System.out and System.err replaced, and fails if anything was printed to either. */
    static Compilation printingNothing(Supplier<Compilation> compile) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
        Compilation c;
        System.setOut(capture);
        System.setErr(capture);
        try {
            c = compile.get();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertEquals("", text.length() > 2_000 ? text.substring(0, 2_000) + "..." : text,
                "a compile printed to System.out or System.err");
        return c;
    }
}
