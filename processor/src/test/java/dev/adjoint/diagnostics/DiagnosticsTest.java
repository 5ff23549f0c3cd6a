package dev.adjoint.diagnostics;

import static dev.adjoint.diagnostics.Expect.clean;
import static dev.adjoint.diagnostics.Expect.cls;
import static dev.adjoint.diagnostics.Expect.code;
import static dev.adjoint.diagnostics.Expect.errors;
import static dev.adjoint.diagnostics.Expect.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.diagnostics.DiagnosticId;
import dev.adjoint.processor.rules.MathFunctions;
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
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * One test per diagnostic ID (named after it): the construct that triggers it, the message (ID, the construct
 * named, the way out of that cause) and the position (line, and column where it is meaningful); where practical the
 * way out is then followed and the rewritten source must compile cleanly. docs/DIAGNOSTICS.md shows the same
 * examples. Then error recovery: an error in one method does not stop the others. {@link WayOutsTest} and
 * {@link RootCausesTest} have the cases of issue 6.
 */
class DiagnosticsTest {

    // ------------------------------------------------------------------ one test per ID

    @Test
    void adj001() {
        String label = cls("    @Differentiable static double f(double x) {",
                "        L: { x = x + 1; }",
                "        return x;",
                "    }");
        one(label, DiagnosticId.ADJ001, 5, "L:", "label L on a statement that is not a loop or a switch",
                "remove the label L: only loops and switches can be labeled (to leave a block early, put its rest in "
                        + "an if/else)");
        clean(label.replace("L: ", ""));
        String local = cls("    @Differentiable static double f(double x) {",
                "        class Local { }",
                "        return x;",
                "    }");
        one(local, DiagnosticId.ADJ001, 5, "class", "local class declaration",
                "declare it outside the @Differentiable method, as a top-level or static nested type");
        clean(local.replace("        class Local { }\n", "")
                .replace("class C {\n", "class C {\n    static class Local { }\n"));
        String nowhere = cls("    @Differentiable static double f(double x) {",
                "        while (x < 10) { x = x * 2; break nowhere; }",
                "        return x;",
                "    }");
        one(nowhere, DiagnosticId.ADJ001, 5, "break nowhere", "no enclosing loop is labeled nowhere",
                "label the enclosing loop (nowhere: for (...) ...), or write break; for the innermost loop");
        clean(nowhere.replace("while (x < 10)", "nowhere: while (x < 10)"));
        one(cls("    @Differentiable static double f(double x) {",
                "        if (x > 1) continue;",
                "        return x;",
                "    }"), DiagnosticId.ADJ001, 5, "continue", "continue outside a loop",
                "use continue only inside a for, while or do/while loop; to skip statements, put them in an if/else");
        one(cls("    @Differentiable static double f(double x) {",
                "        if (x > 1) break;",
                "        return x;",
                "    }"), DiagnosticId.ADJ001, 5, "break", "break outside a loop or a switch",
                "use break only inside a for, while or do/while loop or a switch; to skip statements, put them in an "
                        + "if/else");
        // a switch expression is left by yield only
        String jump = cls("    @Differentiable static double f(double x, int k) {",
                "        for (int i = 0; i < 3; i++) {",
                "            x += switch (k) { case 1 -> { if (x > 2) break; yield x; } default -> 1; };",
                "        }",
                "        return x;",
                "    }");
        one(jump, DiagnosticId.ADJ001, 6, "break;", "break out of a switch expression",
                "leave a switch expression with yield <value>; (break and continue cannot jump out of it)");
        clean(jump.replace("if (x > 2) break; yield x;", "yield x > 2 ? 0 : x;"));
        String yield = cls("    @Differentiable static double f(double x) {",
                "        yield x;",
                "    }");
        one(yield, DiagnosticId.ADJ001, 5, "yield", "yield outside a switch expression",
                "use yield only in a switch expression, to give the value of its case (yield <value>;); elsewhere, "
                        + "assign a variable");
    }

    @Test
    void adj002() {
        String nul = cls("    @Differentiable static double f(double x) {",
                "        double[] a = null;",
                "        return x + a.length;",
                "    }");
        one(nul, DiagnosticId.ADJ002, 5, "null", "null",
                "use an array (new double[n]) or a number instead: there are no objects, so no null");
        clean(nul.replace("null", "new double[1]"));
        one(cls("    @Differentiable static double f(double x) {",
                "        double[] a = new double[] {x};",
                "        return x + a.length + (new double[] {x} instanceof Object ? 1 : 0);",
                "    }"), DiagnosticId.ADJ002, 6, "instanceof", "instanceof", "remove the instanceof: every value of a "
                + "@Differentiable method is a number, a boolean or an array, of a type known when it compiles");
        one(cls("    @Differentiable static double f(double x) {",
                "        new Object();",
                "        return x;",
                "    }"), DiagnosticId.ADJ002, 5, "new", "object creation new Object()", "create objects before the "
                + "@Differentiable method and pass the numbers they hold in as parameters (double, int, long, "
                + "boolean, double[], double[][] or int[])");
    }

    @Test
    void adj003() {
        String local = cls("    @Differentiable static double f(double x) {",
                "        float y = 2;",
                "        return x * y;",
                "    }");
        one(local, DiagnosticId.ADJ003, 5, "float", "float", "use double instead (the subset's types are double, "
                + "int, long, boolean, double[], double[][] or int[])");
        clean(local.replace("float y", "double y"));
        one(cls("    @Differentiable static double f(double x) {",
                "        Double y = x;",
                "        return y;",
                "    }"), DiagnosticId.ADJ003, 5, "Double", "Double", "use double instead (the subset's types are "
                + "double, int, long, boolean, double[], double[][] or int[])");
        String literal = cls("    @Differentiable static double f(double x) {",
                "        return x * 1.5f;",
                "    }");
        Compilation.Diag d = one(literal, DiagnosticId.ADJ003, 5, "1.5f", "float literal 1.5f",
                "write it as a double literal: 1.5");
        clean(literal.replace("1.5f", code(d, "write it as a double literal: ")));
        one(cls("    @Differentiable static double f(double x) {",
                "        return (float) x;",
                "    }"), DiagnosticId.ADJ003, 5, "float", "cast to float",
                "cast to double, int or long instead (the casts of the subset)");
        one(cls("    static Double boxed(double v) { return v; }",
                "    @Differentiable static double f(double x) {",
                "        return x * boxed(2);",
                "    }"), DiagnosticId.ADJ003, 6, "(2)", "call of boxed, which returns java.lang.Double",
                "call a method that returns double, int, long, boolean, double[], double[][] or int[], or compute the "
                        + "value before the @Differentiable method and pass it in as a parameter when it does not "
                        + "depend on a differentiated parameter");
    }

    @Test
    void adj004() {
        String source = cls("    @Differentiable(wrt = \"y\") static double f(double x) {",
                "        return x;",
                "    }");
        one(source, DiagnosticId.ADJ004, 4, "\"y\"", "\"y\" is not a parameter of f",
                "name a parameter of f in @Differentiable(wrt = ...): \"x\" (or leave wrt out to differentiate all of "
                        + "them)");
        clean(source.replace("\"y\"", "\"x\""));
    }

    @Test
    void adj005() {
        String source = cls("    @Differentiable(wrt = {\"x\", \"n\"}) static double f(double x, int n) {",
                "        return x * n;",
                "    }");
        one(source, DiagnosticId.ADJ005, 4, "\"n\"", "parameter n of type int", "remove \"n\" from wrt: only "
                + "double, double[] and double[][] parameters have a gradient (n can still be used in the method)");
        clean(source.replace(", \"n\"", ""));
    }

    @Test
    void adj006() {
        // an instance method is fine (its gradient takes the object), but not one whose object the generated class
        // cannot take: of an interface, of a generic class, of a private class
        clean(cls("    double w = 2;",
                "    @Differentiable double f(double x) {",
                "        return w * x;",
                "    }"));
        String iface = "package p;\nimport dev.adjoint.Differentiable;\ninterface C {\n"
                + "    @Differentiable default double f(double x) {\n"
                + "        return x * x;\n"
                + "    }\n}\n";
        one(iface, DiagnosticId.ADJ006, 4, "f(", "f is an instance method of the interface C",
                "make f static (an instance method needs an object, and Adjoint's generated class has none)");
        clean(iface.replace("default double", "static double"));
        String generic = "package p;\nimport dev.adjoint.Differentiable;\nclass C<T> {\n"
                + "    double w = 2;\n"
                + "    @Differentiable double f(double x) {\n"
                + "        return w * x;\n"
                + "    }\n}\n";
        Compilation.Diag d = one(generic, DiagnosticId.ADJ006, 5, "f(", "f is an instance method of the generic "
                + "class C", "make f static and pass the fields it reads (w) as parameters: static double f(double w, "
                + "double x), writing each field as its parameter (w for this.w)");
        clean(generic.replace("@Differentiable double f(double x)", "@Differentiable " + code(d, "as parameters: ",
                ", writing")));
        String hidden = cls("    private static final class M {",
                "        double w = 2;",
                "        @Differentiable double f(double x) {",
                "            return w * x;",
                "        }",
                "    }");
        one(hidden, DiagnosticId.ADJ006, 6, "f(", "f is an instance method of private class M",
                "remove private from the class M: the generated class, in the same package, can then take objects "
                        + "of it");
        clean(hidden.replace("private static final class M", "static final class M"));
    }

    @Test
    void adj007() {
        String source = cls("    @Differentiable static long f(double x) {",
                "        return 1L;",
                "    }");
        one(source, DiagnosticId.ADJ007, 4, "long", "f returns long", "declare f to return double (for its "
                + "gradient) or double[] (for its Jacobian): Adjoint differentiates a method with one double or "
                + "double[] result");
        clean(source.replace("static long", "static double"));
        String returned = cls("    @Differentiable static double f(double x) {",
                "        return x > 1;",
                "    }");
        Compilation.Diag d = one(returned, DiagnosticId.ADJ007, 5, "> 1", "returns a boolean",
                "return a number: (x > 1) ? 1.0 : 0.0");
        clean(returned.replace("x > 1;", code(d, "return a number: ") + ";"));
    }

    /** A method whose source is not in the compilation (here the JDK's Double.sum) with a differentiated argument. */
    @Test
    void adj008() throws IOException {
        String source = cls("    @Differentiable static double f(double x) {",
                "        return Double.sum(x, 1);",
                "    }");
        // both ways out, the custom rule's signature written for Double.sum(double, double)
        one(source, DiagnosticId.ADJ008, 5, "x, 1)", "sum(...) receives a value that depends on a differentiated "
                + "parameter, and Adjoint has neither its source in this compilation nor a custom rule for it",
                "(a) make the source of Double.sum part of this compilation (Adjoint then differentiates through it), "
                + "or (b) declare its derivative with a custom rule, a static method that is not private, in a class "
                + "of this compilation: @Pullback(of = Double.class, method = \"sum\") static double[] "
                + "sumPullback(double x1, double x2, double yBar), returning yBar * d sum/d x1, yBar * d sum/d x2 "
                + "as a double[], in that order (import dev.adjoint.Pullback); forward mode derives from it, or "
                + "declare @Pushforward(of = Double.class, method = \"sum\") static double sumPushforward(double x1, "
                + "double x2, double x1Dot, double x2Dot) too");
        clean(source.replace("Double.sum(x, 1)", "x + 1"));
        // a helper whose source is here is differentiated through
        clean(cls("    static double helper(double v) { return v * v; }",
                "    @Differentiable static double f(double x) {",
                "        return helper(x) + 1;",
                "    }"));
        // a library's method, compiled before (only its class file on the class path): the rule the way out
        // writes, declared as written, is used
        Compilation lib = Javac.plain().compile(Map.of("lib.Lib", "package lib;\npublic final class Lib {\n"
                + "    public static double cube(double x, int unused) { return x * x * x; }\n}\n"));
        lib.assertSucceeded();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("adj008");
        try {
            lib.writeClassFiles(dir);
            Javac against = Javac.adjoint().withClassPath(System.getProperty("java.class.path")
                    + java.io.File.pathSeparator + dir);
            String user = cls("    @Differentiable static double f(double x) {",
                    "        return lib.Lib.cube(x, 2) + x;",
                    "    }");
            Compilation c = against.compile(Map.of("p.C", user));
            List<Compilation.Diag> found = errors(c, DiagnosticId.ADJ008);
            assertEquals(1, found.size(), c::report);
            assertEquals(1, c.errors().size(), c::report);
            assertEquals(5, found.get(0).line(), c::report);
            assertEquals(user.split("\n")[4].indexOf("x, 2)") + 1, found.get(0).column(), c::report);
            assertTrue(found.get(0).message().endsWith(". Way out: (a) make the source of Lib.cube part of this "
                    + "compilation (Adjoint then differentiates through it), or (b) declare its derivative with a "
                    + "custom rule, a static method that is not private, in a class of this compilation: "
                    + "@Pullback(of = lib.Lib.class, method = \"cube\") static double cubePullback(double x, "
                    + "int n1, double yBar), returning yBar * d cube/d x (import dev.adjoint.Pullback); forward mode "
                    + "derives from it, or declare @Pushforward(of = lib.Lib.class, method = \"cube\") static double "
                    + "cubePushforward(double x, int n1, double xDot) too, or (c) when Lib is compiled in a build of "
                    + "its own, mark cube @Differentiable there: a later compilation finds its derivative through the "
                    + "class generated for it (LibGrad)."), found.get(0)::message);
            String rule = "package p;\nimport dev.adjoint.Pullback;\nfinal class R {\n"
                    + "    @Pullback(of = lib.Lib.class, method = \"cube\") static double cubePullback(double x, "
                    + "int n1, double yBar) { return yBar * 3 * x * x; }\n}\n";
            Compilation ok = against.strict().compile(Map.of("p.C", user, "p.R", rule));
            assertTrue(ok.succeeded() && ok.errors().isEmpty(), ok::report);
            // (lib.Lib is not on the test's own class path, so the gradient is not run here: CustomRulesTest runs
            // rules of methods without source)
            assertTrue(ok.generatedSource("p.CGrad").contains("cubePullback("), ok::report);
        } finally {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void adj009() {
        // recursion of the entry points' signature is differentiated (through the generated pullback and
        // pushforward), directly, through a helper, and mutually
        clean(cls("    @Differentiable static double f(double x) {",
                "        return x < 1 ? x : f(x / 2);",
                "    }"));
        clean(cls("    static double half(double x) { return x < 1 ? x : half(x / 2); }",
                "    @Differentiable static double f(double x) {",
                "        return half(x) * 3;",
                "    }"));
        clean(cls("    static double even(double x, int n) { return n == 0 ? x : odd(x * 2, n - 1); }",
                "    static double odd(double x, int n) { return n == 0 ? -x : even(x + 1, n - 1); }",
                "    @Differentiable static double f(double x) {",
                "        return even(x, 3);",
                "    }"));
        // with a double[] result it is not (yet): an error at the call that carries a derivative
        String arrays = cls("    static double[] twice(double[] a, int n) { return n == 0 ? a : twice(a, n - 1); }",
                "    @Differentiable static double f(double[] a) {",
                "        return twice(a, 2)[0];",
                "    }");
        one(arrays, DiagnosticId.ADJ009, 6, "a, 2)", "twice calls itself: recursion is differentiated for a "
                + "method with a double result and at least one double, double[] or double[][] parameter");
        clean(arrays.replace("return twice(a, 2)[0];", "return a[0];"));
        // a private recursive method: the generated class calls it for its value
        String hidden = cls("    private static double half(double x) { return x < 1 ? x : half(x / 2); }",
                "    @Differentiable static double f(double x) {",
                "        return half(x) * 3;",
                "    }");
        one(hidden, DiagnosticId.ADJ009, 6, "x) * 3", "half calls itself: the generated class calls a recursive "
                + "method for its value, and it cannot call this one (private method half); remove private");
        // with constant arguments, a recursive helper is simply called
        clean(cls("    static double total(double[] a, int n) { return n == 0 ? 0 : a[n - 1] + total(a, n - 1); }",
                "    @Differentiable static double f(double x) {",
                "        return total(new double[] {1, 2}, 2) * x;",
                "    }"));
    }

    @Test
    void adj010() {
        String source = cls("    @Differentiable static double f(double[] a) {",
                "        a[0] = a[0] * 2;",
                "        return a[0];",
                "    }");
        Compilation.Diag d = one(source, DiagnosticId.ADJ010, 5, "= a[0]", "belongs to parameter 'a'",
                "copy a into a local, and write and read the copy where a was written and read after: double[] copy "
                        + "= new double[a.length]; for (int i = 0; i < a.length; i++) { copy[i] = a[i]; }");
        clean(source.replace("        a[0] = a[0] * 2;\n        return a[0];", "        " + code(d, "read after: ")
                + "\n        copy[0] = copy[0] * 2;\n        return copy[0];"));
        String matrix = cls("    @Differentiable static double f(double[][] m) {",
                "        double[] row = m[0];",
                "        row[1] = row[1] * 2;",
                "        return m[0][1];",
                "    }");
        Compilation.Diag dm = one(matrix, DiagnosticId.ADJ010, 6, "= row[1]", "belongs to parameter 'm'",
                "copy m into a local, and write and read the copy where m was written and read after: double[][] "
                        + "copy = new double[m.length][]; for (int i = 0; i < m.length; i++) { copy[i] = new "
                        + "double[m[i].length]; for (int j = 0; j < m[i].length; j++) { copy[i][j] = m[i][j]; } }");
        clean(matrix.replace("        double[] row = m[0];", "        " + code(dm, "read after: ")
                + "\n        double[] row = copy[0];").replace("return m[0][1];", "return copy[0][1];"));
    }

    @Test
    void adj011() {
        one(cls("    @Differentiable static double f(double x) {",
                "        java.util.function.DoubleUnaryOperator g = v -> v * v;",
                "        return x;",
                "    }"), DiagnosticId.ADJ011, 5, "v ->", "lambda", "write the lambda's computation out where it is "
                + "applied (in a loop, if it is applied to each element of an array)");
        one(cls("    @Differentiable static double f(double x) {",
                "        java.util.function.DoubleUnaryOperator g = Math::sin;",
                "        return x;",
                "    }"), DiagnosticId.ADJ011, 5, "Math::sin", "method reference",
                "call the method directly where it is applied, as in Math.sin(<its arguments>)");
    }

    @Test
    void adj012() {
        one(cls("    @Differentiable static double f(double x) {",
                "        try { x = x * 2; } catch (RuntimeException e) { x = 0; }",
                "        return x;",
                "    }"), DiagnosticId.ADJ012, 5, "try", "try statement");
    }

    @Test
    void adj013() {
        // a switch on an int is supported (SwitchTest); switches on other types are not
        String onDouble = cls("    @Differentiable static double f(double x) {",
                "        switch (x) { case 1 -> x = x * 2; case 2 -> x = x + 1; default -> x = -x; }",
                "        return x;",
                "    }");
        Compilation.Diag d = one(onDouble, DiagnosticId.ADJ013, 5, "switch", "switch on a double (x)",
                "rewrite the switch as if/else comparing x: if (x == 1) { ... } else if (x == 2) { ... } else { ... }");
        clean(onDouble.replace("switch (x) { case 1 -> x = x * 2; case 2 -> x = x + 1; default -> x = -x; }",
                "if (x == 1) { x = x * 2; } else if (x == 2) { x = x + 1; } else { x = -x; }"));
        assertTrue(d.message().contains("if (x == 1)"), d::message);
        String strings = cls("    @Differentiable static double f(double x, int k) {",
                "        switch (String.valueOf(k)) { case \"1\": x = x * 2; break; default: x = x + 1; }",
                "        return x;",
                "    }");
        one(strings, DiagnosticId.ADJ013, 5, "switch", "switch on strings (case \"1\")", "decide what the string "
                + "selects before the @Differentiable method and pass an int in its place, then switch on the int "
                + "(case 0, case 1, ...)");
        clean(strings.replace("switch (String.valueOf(k)) { case \"1\":", "switch (k) { case 1:"));
        // a switch on a parameter already reported (a String) is not reported again: one cause, one error
        one(cls("    @Differentiable static double f(double x, String mode) {",
                "        switch (mode) { case \"fast\": x = x * 2; break; default: x = x + 1; }",
                "        return x;",
                "    }"), DiagnosticId.ADJ015, 4, "String", "parameter mode of type java.lang.String",
                "pass a number or a boolean in place of the string mode (decide what the string selects before "
                        + "calling the method)");
        String enums = "package p;\nimport dev.adjoint.Differentiable;\nclass C {\n"
                + "    enum Mode { FAST, SLOW }\n"
                + "    @Differentiable static double f(double x) {\n"
                + "        switch (Mode.valueOf(\"FAST\")) { case FAST: x = x * 2; break; default: x = x + 1; }\n"
                + "        return x;\n"
                + "    }\n}\n";
        one(enums, DiagnosticId.ADJ013, 6, "switch", "switch on an enum (case FAST)", "pass an int in place of the "
                + "enum (its ordinal(), or a number each constant stands for) and switch on the int (case 0 -> ..., "
                + "case 1 -> ...)");
        String inside = cls("    @Differentiable static double f(double x, int k) {",
                "        return x + switch (k) { case 1 -> x; default -> 2 * x; };",
                "    }");
        Compilation.Diag di = one(inside, DiagnosticId.ADJ013, 5, "switch", "switch expression inside an expression",
                "declare a local with the switch expression first (var v = switch (...) { ... };) and use v in its "
                        + "place");
        assertTrue(di.message().contains("var v = switch"), di::message);
        clean(inside.replace("        return x + switch (k) { case 1 -> x; default -> 2 * x; };",
                "        var v = switch (k) { case 1 -> x; default -> 2 * x; };\n        return x + v;"));
        String noDefault = cls("    @Differentiable static double f(double x, int k) {",
                "        double y = switch (k) { case 1 -> x; case 2 -> 2 * x; };",
                "        return y;",
                "    }");
        one(noDefault, DiagnosticId.ADJ013, 5, "switch", "switch expression without default", "add a default case "
                + "(default -> <value>;): a switch expression must give a value for every int");
    }

    @Test
    void adj014() {
        one(cls("    @Differentiable static double f(double x) {",
                "        synchronized (C.class) { x = x * 2; }",
                "        return x;",
                "    }"), DiagnosticId.ADJ014, 5, "synchronized", "synchronized block");
    }

    @Test
    void adj015() {
        one(cls("    @Differentiable static double f(double x) {",
                "        String s = \"a\";",
                "        return x;",
                "    }"), DiagnosticId.ADJ015, 5, "String", "String");
        one(cls("    @Differentiable static double f(double x) {",
                "        return x + \"1\".length();",
                "    }"), DiagnosticId.ADJ015, 5, "\"1\"", "method length of a string");
        one(cls("    @Differentiable static double f(double x, String s) {",
                "        return x;",
                "    }"), DiagnosticId.ADJ015, 4, "String", "parameter s of type java.lang.String",
                "pass a number or a boolean in place of the string s (decide what the string selects before calling "
                        + "the method)");
    }

    @Test
    void adj016() {
        String mutable = cls("    static double scale = 2;",
                "    @Differentiable static double f(double x) {",
                "        return x * scale;",
                "    }");
        one(mutable, DiagnosticId.ADJ016, 6, "scale", "static field scale is not final", "make it final if it never "
                + "changes (static final double scale = ...;), or pass its value in as a parameter");
        clean(mutable.replace("static double scale", "static final double scale"));
        one(cls("    double weight = 2;",
                "    @Differentiable static double f(double x) {",
                "        return x * weight;",
                "    }"), DiagnosticId.ADJ016, 6, "weight", "instance field weight", "drop static from the method to "
                + "read the fields of its object (the gradient then takes the object as its first argument), or pass "
                + "the value as a parameter");
        clean(cls("    double weight = 2;",
                "    @Differentiable double f(double x) {",
                "        return x * weight;",
                "    }"));
        // constant tables and private computed constants can be read; a table cannot be written
        clean(cls("    static final double[] TABLE = {1, 2};",
                "    @Differentiable static double f(double x) {",
                "        return x * TABLE[1];",
                "    }"));
        clean(cls("    private static final double ROOT = Math.sqrt(2);",
                "    @Differentiable static double f(double x) {",
                "        return x * ROOT;",
                "    }"));
        String written = cls("    static final double[] TABLE = {1, 2};",
                "    @Differentiable static double f(double x) {",
                "        TABLE[0] = x;",
                "        return x * TABLE[1];",
                "    }");
        one(written, DiagnosticId.ADJ016, 6, "TABLE[0]", "write into a static final array (a constant table: the gradient "
                + "would not undo it, and other code reads it)", "copy the table into a local array and write to the "
                + "copy");
        String hidden = cls("    private static final double ROOT = new java.util.Random(1).nextDouble();",
                "    @Differentiable static double f(double x) {",
                "        return x * ROOT;",
                "    }");
        Compilation hiddenC = Javac.adjoint().compile(hidden);
        assertTrue(errors(hiddenC, DiagnosticId.ADJ016).stream().anyMatch(d -> d.line() == 6
                && d.message().contains("private field ROOT is not a compile-time constant")
                && d.message().contains("remove private from the field ROOT: the generated class, in the same "
                        + "package, can then read it")), hiddenC::report);
        clean(hidden.replace("private static", "static"));
        one(cls("    static double total;",
                "    @Differentiable static double f(double x) {",
                "        total = x;",
                "        return x;",
                "    }"), DiagnosticId.ADJ016, 6, "total", "assignment to field total", "write to a local variable "
                + "instead: a @Differentiable method cannot change fields (compute what the field should hold from "
                + "its result, after the call)");
    }

    @Test
    void adj017() {
        String source = cls("    @Differentiable static double f(double... xs) {",
                "        return xs[0];",
                "    }");
        one(source, DiagnosticId.ADJ017, 4, "xs)", "parameter xs is varargs",
                "declare xs as double[] xs instead of double... xs (callers then pass an array: new double[] {...})");
        clean(source.replace("double... xs", "double[] xs"));
    }

    @Test
    void adj018() {
        String source = cls("    @Differentiable static <T> double f(double x) {",
                "        return x;",
                "    }");
        one(source, DiagnosticId.ADJ018, 4, "T>", "f has type parameters", "remove the type parameters <T>");
        clean(source.replace("<T> ", ""));
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
        assertTrue(d.message().endsWith("Way out: check that the generated-sources directory can be written (free "
                + "space, permissions) and compile again; if it can, please report this."), d::message);
        assertEquals(3, d.line(), c::report);   // at the class
    }

    @Test
    void adj021() {
        one(cls("    @Differentiable static double f(double x) {",
                "        return x * y;",
                "    }"), DiagnosticId.ADJ021, 5, "y;", "unknown name y", "declare it (as a parameter or a local), "
                + "import it, or correct the spelling: Adjoint must know what each name is (a parameter, a local, a "
                + "static final constant)");
        one(cls("    @Differentiable static double f(double x) {",
                "        return x * nowhere(x);",
                "    }"), DiagnosticId.ADJ021, 5, "(x);", "unknown method nowhere",
                "declare or import the static method nowhere, or correct the spelling");
        String misspelt = cls("    @Differentiable static double f(double x) {",
                "        return Math.sinus(x);",
                "    }");
        one(misspelt, DiagnosticId.ADJ021, 5, "(x)", "unknown method sinus of java.lang.Math",
                "correct the spelling; the supported functions of Math and StrictMath are "
                        + MathFunctions.namesText());
        clean(misspelt.replace("sinus", "sin"));
        String arity = cls("    static double scale(double v, double by) { return v * by; }",
                "    @Differentiable static double f(double x) {",
                "        return x * scale(2);",
                "    }");
        one(arity, DiagnosticId.ADJ021, 6, "(2)", "no method scale takes 1 arguments",
                "call scale with 2 arguments, as it is declared");
        clean(arity.replace("scale(2)", "scale(2, 3)"));
    }

    @Test
    void adj022() {
        one(cls("    @Differentiable static double f(double x) {",
                "        return Math.random() * x;",
                "    }"), DiagnosticId.ADJ022, 5, "() * x", "Math.random has no derivative rule",
                "draw the random numbers before the @Differentiable method and pass them in as a parameter (double or "
                        + "double[]); the supported functions of Math and StrictMath are "
                        + MathFunctions.namesText());
        String arity = cls("    @Differentiable static double f(double x) {",
                "        return Math.sqrt(x, 2);",
                "    }");
        one(arity, DiagnosticId.ADJ022, 5, "(x, 2)", "Math.sqrt with 2 arguments", "call Math.sqrt with 1 argument");
        clean(arity.replace("Math.sqrt(x, 2)", "Math.sqrt(x)"));
    }

    @Test
    void adj023() {
        String source = "package p;\nimport dev.adjoint.Differentiable;\nabstract class C {\n"
                + "    @Differentiable static native double f(double x);\n}\n";
        one(source, DiagnosticId.ADJ023, 4, "f(", "f is native: it has no Java body to differentiate",
                "write the computation in Java, in a static method with a body (static double f(double x) { ... "
                        + "return ...; }), and annotate that method");
        clean(source.replace("static native double f(double x);", "static double f(double x) { return x * x; }"));
    }

    @Test
    void adj024() {
        // the cases of issue 6 (clone, private helpers, Arrays.fill, System.arraycopy) are in WayOutsTest
        one(cls("    @Differentiable static double f(double x) {",
                "        return x * java.util.List.of(1.0, 2.0).size();",
                "    }"), DiagnosticId.ADJ024, 5, "();", "instance method call java.util.List.of(1.0, 2.0).size(): "
                + "Adjoint follows static calls only", "compute it with statements of the @Differentiable method "
                + "(loops, assignments, Math functions), or, when it does not depend on a differentiated parameter, "
                + "call it before that method and pass its result in as a parameter");
    }

    @Test
    void adj025() {
        String source = cls("    @Differentiable static double f(double x) {",
                "        assert x > 0;",
                "        return x;",
                "    }");
        Compilation.Diag d = one(source, DiagnosticId.ADJ025, 5, "assert", "assert x > 0",
                "check the condition with if and throw: if (!(x > 0)) { throw new AssertionError(); }");
        clean(source.replace("assert x > 0;", code(d, "if and throw: ")));
    }

    @Test
    void adj026() {
        String condition = cls("    @Differentiable static double f(double x, boolean b) {",
                "        int n = 1;",
                "        if (n) { x = -x; }",
                "        return x;",
                "    }");
        Compilation.Diag d = one(condition, DiagnosticId.ADJ026, 6, "n)", "a condition of type int",
                "write a comparison: n != 0");
        clean(condition.replace("if (n)", "if (" + code(d, "write a comparison: ") + ")"));
        String narrowing = cls("    @Differentiable static double f(double x) {",
                "        int n = x;",
                "        return n;",
                "    }");
        one(narrowing, DiagnosticId.ADJ026, 5, "x;", "a double assigned to int n",
                "cast the value, as in (int) x, or make the variable a double");
        clean(narrowing.replace("int n = x;", "int n = (int) x;"));
        String booleans = cls("    @Differentiable static double f(double x, boolean a, boolean b) {",
                "        return a & b ? x : 0;",
                "    }");
        one(booleans, DiagnosticId.ADJ026, 5, "&", "operator & on boolean and boolean", "use && for booleans");
        clean(booleans.replace("a & b", "a && b"));
        // Java's signum(float), which an int argument picks, computes in float: 1 / 3 would differ
        String signum = cls("    @Differentiable static double f(double x, int n) {",
                "        return x * (Math.signum(n) / 3);",
                "    }");
        Compilation.Diag s = one(signum, DiagnosticId.ADJ026, 5, "(n) / 3", "Math.signum(int)",
                "Math.signum of an int or a long is a float, which Adjoint does not compute with: write "
                        + "Math.signum((double) n)");
        clean(signum.replace("Math.signum(n)", code(s, "does not compute with: write ")));
    }

    @Test
    void adj027() {
        one(cls("    @Differentiable static double f(double x) {",
                "        if (x > 0) return;",
                "        return x;",
                "    }"), DiagnosticId.ADJ027, 5, "return;", "return without a value",
                "return the value to differentiate: return <a double>;");
        one(cls("    @Differentiable static double f(double x) {",
                "        throw new UnsupportedOperationException(\"not yet\");",
                "    }"), DiagnosticId.ADJ027, 4, "f(", "f has no return statement",
                "end f with return <a double>; (a method that always throws or never ends has no value to "
                        + "differentiate)");
    }

    @Test
    void adj028() {
        one(cls("    @Differentiable static double f(double x, Object o) {",
                "        return x;",
                "    }"), DiagnosticId.ADJ028, 4, "Object", "parameter o of type java.lang.Object",
                "pass the numbers o holds as parameters of the supported types instead: double, int, long, boolean, "
                        + "double[], double[][] or int[]");
        String boxed = cls("    @Differentiable static double f(double x, Double y) {",
                "        return x * y;",
                "    }");
        one(boxed, DiagnosticId.ADJ028, 4, "Double", "parameter y of type java.lang.Double", "declare y as double "
                + "(parameters can be double, int, long, boolean, double[], double[][] or int[])");
        clean(boxed.replace("Double y", "double y"));
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
        Compilation.Diag d = one(cls("    @Differentiable static double f(double x) {",
                "        return " + nested + ";",
                "    }"), DiagnosticId.ADJ030, 5, null, "conditional expressions (?:) nested more than 250");
        StringBuilder sum = new StringBuilder("x");
        for (int i = 0; i < 3_000; i++) {
            sum.append(" + x * ").append(i % 7);
        }
        one(cls("    @Differentiable static double f(double x) {",
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
        assertTrue(d.message().endsWith(". Way out: rename p.Outer_Inner or p.Outer.Inner (the generated class joins "
                + "nested class names with _)."), d::message);
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
        Compilation.Diag d = one(cls("    @Differentiable static double f(double x) {",
                "        double s = 0;", body + "        return s;", "    }"), DiagnosticId.ADJ033, 4, null,
                "64 KB");
        assertTrue(d.message().contains("'f'"), d::message);
        // the way out: the same statements as a loop
        clean(cls("    @Differentiable static double f(double x) {",
                "        double s = 0;",
                "        for (int i = 0; i < 2000; i++) {",
                "            s = s * 0.999 + x * (i % 13);",
                "        }",
                "        return s;",
                "    }"));
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
    void adj034() {
        String source = cls("    @Differentiable static double f(int n) {",
                "        return n;",
                "    }");
        Compilation.Diag d = one(source, DiagnosticId.ADJ034, 4, "@Differentiable",
                "f has no double, double[] or double[][] parameter", "add a double, double[] or double[][] parameter "
                        + "that the result depends on: the gradient is taken with respect to such parameters (static "
                        + "double f(int n, double x))");
        clean(source.replace("static double f(int n) {", code(d, "such parameters (", ")") + ") {")
                .replace("return n;", "return n * x;"));
    }

    @Test
    void adj035() {
        String source = cls("    static double helper(double v) {",
                "        synchronized (C.class) { v = v * 2; }",
                "        return v;",
                "    }",
                "    @Differentiable static double f(double x) {",
                "        return helper(x) + 1;",
                "    }");
        Compilation c = Javac.adjoint().compile(source);
        assertNull(c.crash(), c::report);
        assertEquals(2, c.errors().size(), c::report);
        Compilation.Diag call = errors(c, DiagnosticId.ADJ035).get(0);
        assertEquals(9, call.line(), c::report);
        assertTrue(call.message().contains("p.C.helper has errors, reported at its own lines, and an argument here "
                + "depends on a differentiated parameter"), call::message);
        assertEquals(5, errors(c, DiagnosticId.ADJ014).get(0).line(), c::report);
        // with a constant argument the helper is simply called
        clean(source.replace("helper(x) + 1", "helper(2) * x"));
        clean(source.replace("        synchronized (C.class) { v = v * 2; }\n", "        v = v * 2;\n"));
        // a void helper does its work on its arguments: with errors it is reported even when they are constants
        Compilation v = Javac.adjoint().compile(cls("    static void scale(double[] a) {",
                "        synchronized (C.class) { a[0] = a[0] * 2; }",
                "    }",
                "    @Differentiable static double f(double x) {",
                "        double[] a = {1};",
                "        scale(a);",
                "        return a[0] * x;",
                "    }"));
        assertEquals(1, errors(v, DiagnosticId.ADJ035).size(), v::report);
        assertEquals(9, errors(v, DiagnosticId.ADJ035).get(0).line(), v::report);
        assertTrue(errors(v, DiagnosticId.ADJ035).get(0).message().contains("p.C.scale returns nothing (void) and "
                + "has errors, reported at its own lines: Adjoint cannot see what it does to its arguments"), v::report);
        assertEquals(5, errors(v, DiagnosticId.ADJ014).get(0).line(), v::report);
    }

    @Test
    void adj036() {
        String rules = """
                package p;
                import dev.adjoint.Pullback;
                import dev.adjoint.Pushforward;
                final class R {
                    @Pullback(of = Double.class, method = "sum")
                    static double sumPullback(double a, double yBar) { return yBar; }
                }
                """;
        String user = cls("    @Differentiable static double f(double x) {",
                "        return Double.sum(x, 1);",
                "    }");
        Compilation c = Javac.adjoint().compile(java.util.Map.of("p.R", rules, "p.C", user));
        assertNull(c.crash(), c::report);
        List<Compilation.Diag> bad = errors(c, DiagnosticId.ADJ036);
        assertEquals(1, bad.size(), c::report);
        assertEquals(6, bad.get(0).line(), c::report);
        assertTrue(bad.get(0).message().contains("the pullback R.sumPullback matches no overload of java.lang.Double.sum")
                && bad.get(0).message().contains("declare it as static double[] sumPullback(double, double, double): "
                        + "the method's parameters, then the result's adjoint, returning the adjoint of each double "
                        + "parameter, in order"), bad.get(0)::message);
        // without the rule, the call is ADJ008; with the way out followed, it compiles
        String fixed = rules.replace("static double sumPullback(double a, double yBar) { return yBar; }",
                "static double[] sumPullback(double a, double b, double yBar) { return new double[] {yBar, yBar}; }");
        Compilation ok = Javac.adjoint().strict().compile(java.util.Map.of("p.R", fixed, "p.C", user));
        assertTrue(ok.succeeded() && ok.errors().isEmpty(), ok::report);
        String priv = rules.replace("static double sumPullback", "private static double sumPullback");
        Compilation p = Javac.adjoint().compile(java.util.Map.of("p.R", priv, "p.C", user));
        assertTrue(errors(p, DiagnosticId.ADJ036).stream().anyMatch(d -> d.message().contains("is private")),
                p::report);
    }

    @Test
    void adj037() {
        String source = cls("    private double[] w = {1, 2};",
                "    @Differentiable(wrt = {\"this.w\", \"x\"}) double f(double x) {",
                "        return w[0] * x + this.w[1];",
                "    }");
        one(source, DiagnosticId.ADJ037, 5, "\"this.w\"", "private field w: the generated class, a separate class, "
                + "reads the fields of the object it is given", "remove private from the field w: the generated "
                + "class, in the same package, can then read it (declare it double[] w; without private), or pass its "
                + "value to the method as a parameter");
        clean(source.replace("private double[] w", "double[] w"));
        // a read, not in wrt: reported at the read, once however often it is read
        String read = cls("    private double w = 2;",
                "    @Differentiable double f(double x) {",
                "        return w * x + w;",
                "    }");
        one(read, DiagnosticId.ADJ037, 6, "w *", "private field w", "remove private from the field w: the generated "
                + "class, in the same package, can then read it (declare it double w; without private), or pass its "
                + "value to the method as a parameter");
        clean(read.replace("private double w", "double w"));
        String floats = cls("    float scale = 2;",
                "    @Differentiable double f(double x) {",
                "        return this.scale * x;",
                "    }");
        one(floats, DiagnosticId.ADJ037, 6, ".scale", "field scale of type float", "declare scale as double, or "
                + "pass the numbers it holds to the method as parameters of those types");
        clean(floats.replace("float scale", "double scale"));
    }

    /** The other causes an instance method brings: wrt, writes to fields and into their arrays, calls. */
    @Test
    void instanceMethodCauses() {
        String unknown = cls("    double w = 2;",
                "    @Differentiable(wrt = \"this.v\") double f(double x) {",
                "        return w * x;",
                "    }");
        one(unknown, DiagnosticId.ADJ004, 5, "\"this.v\"", "\"this.v\" is not a field of the object f runs on",
                "name a parameter of f in @Differentiable(wrt = ...): \"this.w\", \"x\" (or leave wrt out to "
                        + "differentiate all of them)");
        clean(unknown.replace("this.v", "this.w"));
        one(cls("    @Differentiable(wrt = \"this.w\") static double f(double x) {",
                "        return x;",
                "    }"), DiagnosticId.ADJ004, 4, "\"this.w\"", "\"this.w\" names a field, but f is static",
                "drop static from f to differentiate with respect to the fields of its object, or name a parameter "
                        + "in @Differentiable(wrt = ...)");
        String count = cls("    int n = 2;",
                "    @Differentiable(wrt = {\"this.n\", \"x\"}) double f(double x) {",
                "        return n * x;",
                "    }");
        one(count, DiagnosticId.ADJ005, 5, "\"this.n\"", "field n of type int", "remove \"this.n\" from wrt: only "
                + "double, double[] and double[][] fields have a gradient (n can still be read in the method)");
        clean(count.replace("\"this.n\", ", ""));
        String none = cls("    double w = 2;",
                "    @Differentiable double f(int k) {",
                "        return w * k;",
                "    }");
        Compilation.Diag d = one(none, DiagnosticId.ADJ034, 5, "@Differentiable", "f has no double, double[] or "
                + "double[][] parameter, and the fields of its object are constants unless wrt names them",
                "name the fields to differentiate with respect to in wrt: @Differentiable(wrt = {\"this.w\"})");
        clean(none.replace("@Differentiable double", code(d, "with respect to in wrt: ") + " double"));
        String write = cls("    double w = 2;",
                "    @Differentiable double f(double x) {",
                "        this.w = x;",
                "        return w * x;",
                "    }");
        one(write, DiagnosticId.ADJ016, 6, ".", "assignment to field this.w", "write to a local variable "
                + "instead: a @Differentiable method cannot change fields (compute what the field should hold from "
                + "its result, after the call)");
        one(write.replace("this.w = x;", "w += x;"), DiagnosticId.ADJ016, 6, "w +=", "assignment to field w",
                "write to a local variable instead: a @Differentiable method cannot change fields (compute what the "
                        + "field should hold from its result, after the call)");
        clean(write.replace("this.w = x;", "double v = w + x;").replace("return w * x;", "return v * x;"));
        String array = cls("    double[] w = {1, 2};",
                "    @Differentiable(wrt = {\"this.w\", \"x\"}) double f(double x) {",
                "        w[0] = x;",
                "        return w[0] * w[1];",
                "    }");
        Compilation c = Javac.adjoint().compile(array);
        assertEquals(1, c.errors().size(), c::report);
        assertEquals(1, errors(c, DiagnosticId.ADJ010).size(), c::report);
        assertEquals(6, errors(c, DiagnosticId.ADJ010).get(0).line(), c::report);
        // a field that carries no derivative may be written into, as a constant parameter's array may
        clean(array.replace("{\"this.w\", \"x\"}", "\"x\"").replace("w[0] = x;", "w[0] = 3;"));
        String call = cls("    double w = 2;",
                "    double scaled(double v) {",
                "        return w * v;",
                "    }",
                "    @Differentiable double f(double x) {",
                "        return this.scaled(x) * x;",
                "    }");
        Compilation.Diag calls = one(call, DiagnosticId.ADJ024, 9, "(x)", "call of the instance method "
                + "scaled: Adjoint differentiates through calls of static methods only", "make scaled static and "
                + "pass the fields it reads (w) as parameters: static double scaled(double w, double v), writing "
                + "each field as its parameter (w for this.w), and call it so");
        clean(call.replace("double scaled(double v)", code(calls, "as parameters: ", ", writing"))
                .replace("this.scaled(x)", "scaled(w, x)"));
        one(call.replace("this.scaled(x)", "scaled(x)"), DiagnosticId.ADJ024, 9, "(x)", "call of the instance "
                + "method scaled", code(calls, "Way out: ") + "");
        one(cls("    double w = 2;",
                "    @Differentiable double f(double x) {",
                "        return other(this) * x;",
                "    }",
                "    static double other(C c) { return c.w; }"), DiagnosticId.ADJ002, 6, "this", "'this' as a value",
                "read the fields of the object (this.w, or w) where they are needed: the object itself cannot be "
                        + "passed on or compared");
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
                "    @Differentiable static double g(double x) {",
                "        return Double.sum(x, x);",
                "    }"));
        assertNull(c.crash(), c::report);
        assertEquals(1, errors(c, DiagnosticId.ADJ014).size(), c::report);
        assertEquals(5, errors(c, DiagnosticId.ADJ014).get(0).line());
        assertEquals(1, errors(c, DiagnosticId.ADJ008).size(), c::report);
        assertEquals(9, errors(c, DiagnosticId.ADJ008).get(0).line());
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
        assertEquals(Set.of(5L, 6L, 7L),
                c.errors().stream().map(Compilation.Diag::line).collect(java.util.stream.Collectors.toSet()),
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
