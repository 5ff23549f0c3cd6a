package dev.adjoint.diagnostics;

import static dev.adjoint.diagnostics.Expect.clean;
import static dev.adjoint.diagnostics.Expect.cls;
import static dev.adjoint.diagnostics.Expect.code;
import static dev.adjoint.diagnostics.Expect.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.diagnostics.DiagnosticId;
import dev.adjoint.processor.rules.MathFunctions;
import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Javac;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, item 4: each message names the real cause and a way out that works, complete in the message itself (a jar
 * user has no docs). Each test reproduces a case, checks the message, then follows the way out, taking the code it
 * gives from the message where it gives code, and checks that the rewritten source compiles with the processor
 * under -Xlint:all -Werror.
 */
class WayOutsTest {

    /**
     * A helper whose source Adjoint can differentiate through is inlined, private or not; these helpers stay calls
     * (they format a string, outside the subset), so the generated class must be able to call them.
     */
    @Test
    void privateHelperWithInactiveArgumentsSaysRemovePrivate() {
        String source = cls("    private static double helper(int n) { return (\"\" + n).length() * 2; }",
                "    @Differentiable static double f(double x, int n) {",
                "        return x * helper(n);",
                "    }");
        one(source, DiagnosticId.ADJ024, 6, "(n)", "private method helper: the generated gradient class is a "
                + "separate class and cannot call it",
                "remove private from the method helper: the generated class, in the same package, can then call it");
        clean(source.replace("private static", "static"));
    }

    @Test
    void helperInAPrivateClassSaysWhichPrivateToRemove() {
        String source = cls("    private static class Util { static double twice(int n) { return (\"\" + n).length(); } }",
                "    @Differentiable static double f(double x, int n) {",
                "        return x * Util.twice(n);",
                "    }");
        one(source, DiagnosticId.ADJ024, 6, "(n)", "method twice in private class Util", "remove private from the class Util: the "
                + "generated class, in the same package, can then call it");
        clean(source.replace("private static class", "static class"));
    }

    /**
     * A protected helper inherited from a class of another package: the user's class may call it, the generated class
     * (in the user's package, not a subclass) may not; before, it was accepted and the generated class did not compile.
     */
    @Test
    void protectedHelperOfAnotherPackageSaysMakeItPublic() {
        String base = """
                package q;
                public class Base {
                    protected static double helper(int n) { return ("" + n).length() * 2; }
                }
                """;
        String source = """
                package p;
                import dev.adjoint.Differentiable;
                class C extends q.Base {
                    @Differentiable static double f(double x, int n) {
                        return x * helper(n);
                    }
                }
                """;
        Compilation c = Javac.adjoint().compile(base, source);
        assertNull(c.crash(), c::report);
        assertEquals(1, c.errors().size(), c::report);
        Compilation.Diag d = c.errors().get(0);
        assertEquals("[ADJ024] unsupported call: method helper (protected, in package q): the generated gradient "
                + "class is a separate class and cannot call it. Way out: make the method helper public: the "
                + "generated class, in package p, can then call it.", d.message());
        assertEquals(5, d.line(), c::report);
        assertEquals(source.split("\n")[4].indexOf("(n)") + 1, d.column(), c::report);
        Compilation fixed = Javac.adjoint().strict().compile(base.replace("protected static", "public static"), source);
        assertTrue(fixed.succeeded() && fixed.errors().isEmpty(), fixed::report);
        assertTrue(fixed.generatedSource("p.CGrad").contains("helper(n)"), fixed::report);
    }

    @Test
    void arraysFillSaysWriteTheLoop() {
        String source = cls("    @Differentiable static double f(double x, int n) {",
                "        double[] a = new double[n];",
                "        java.util.Arrays.fill(a, 1.0);",
                "        return x * a[0];",
                "    }");
        Compilation.Diag d = one(source, DiagnosticId.ADJ024, 6, "(a, 1.0)", "call of java.util.Arrays.fill, which "
                + "returns nothing (void): Adjoint cannot see what it does to its arguments",
                "fill the array with a loop: for (int i = 0; i < a.length; i++) { a[i] = 1.0; }");
        clean(source.replace("java.util.Arrays.fill(a, 1.0);", code(d, "with a loop: ")));
        String range = cls("    @Differentiable static double f(double x, int n) {",
                "        double[] a = new double[n];",
                "        java.util.Arrays.fill(a, 1, n, x);",
                "        return x * a[1];",
                "    }");
        Compilation.Diag r = one(range, DiagnosticId.ADJ024, 6, "(a, 1, n, x)", "java.util.Arrays.fill",
                "fill the array with a loop: for (int i = 1; i < n; i++) { a[i] = x; }");
        clean(range.replace("java.util.Arrays.fill(a, 1, n, x);", code(r, "with a loop: ")));
    }

    @Test
    void systemArraycopySaysWriteTheLoop() {
        String source = cls("    @Differentiable static double f(double x, double[] b) {",
                "        double[] a = new double[b.length + 1];",
                "        System.arraycopy(b, 0, a, 1, b.length);",
                "        return x * a[1];",
                "    }");
        Compilation.Diag d = one(source, DiagnosticId.ADJ024, 6, "(b, 0", "call of java.lang.System.arraycopy, "
                + "which returns nothing (void)",
                "copy with a loop: for (int i = 0; i < b.length; i++) { a[1 + i] = b[i]; }");
        Compilation c = clean(source.replace("System.arraycopy(b, 0, a, 1, b.length);", code(d, "with a loop: ")));
        assertTrue(c.generatedSource("p.CGrad").contains("bBar"), c::report);
    }

    @Test
    void voidMethodWithoutSourceSaysInlineIt() {
        // a void method whose source is here is inlined; one without source (the JDK's Arrays.sort) cannot be seen
        clean(cls("    static void fill(double[] a) { a[0] = 1; }",
                "    @Differentiable static double f(double x) {",
                "        double[] a = new double[1];",
                "        fill(a);",
                "        return x * a[0];",
                "    }"));
        String source = cls("    @Differentiable static double f(double x) {",
                "        double[] a = {3, 1};",
                "        java.util.Arrays.sort(a);",
                "        return x * a[0];",
                "    }");
        one(source, DiagnosticId.ADJ024, 6, "(a)", "call of java.util.Arrays.sort, which returns nothing (void)",
                "write what sort does as statements of the @Differentiable method (loops and assignments), or, when "
                        + "its arguments do not depend on a differentiated parameter, call it before that method and "
                        + "pass what it computes in as a parameter");
        clean(source.replace("        java.util.Arrays.sort(a);\n", "").replace("{3, 1}", "{1, 3}"));
    }

    @Test
    void arrayCloneSaysCopyWithALoop() {
        String source = cls("    @Differentiable static double f(double x) {",
                "        double[] a = {x, 2 * x};",
                "        return a.clone()[1];",
                "    }");
        Compilation.Diag d = one(source, DiagnosticId.ADJ024, 6, "()[1]", "instance method call a.clone(): Adjoint "
                + "follows no calls on arrays", "copy it with a loop: double[] copy = new double[a.length]; for (int "
                + "i = 0; i < a.length; i++) { copy[i] = a[i]; }");
        clean(source.replace("        return a.clone()[1];", "        " + code(d, "with a loop: ")
                + "\n        return copy[1];"));
        String matrix = cls("    @Differentiable static double f(double[][] m) {",
                "        double[][] c = m.clone();",
                "        return c[0][0];",
                "    }");
        Compilation.Diag dm = one(matrix, DiagnosticId.ADJ024, 5, "()", "m.clone()", "copy it with a loop: "
                + "double[][] copy = new double[m.length][]; for (int i = 0; i < m.length; i++) { copy[i] = new "
                + "double[m[i].length]; for (int j = 0; j < m[i].length; j++) { copy[i][j] = m[i][j]; } }");
        clean(matrix.replace("double[][] c = m.clone();", code(dm, "with a loop: "))
                .replace("return c[0][0];", "return copy[0][0];"));
    }

    @Test
    void aCopyTakesANameTheMethodDoesNotUse() {
        one(cls("    @Differentiable static double f(double x, int i) {",
                "        double[] copy = {x};",
                "        return copy.clone()[0] * i;",
                "    }"), DiagnosticId.ADJ024, 6, "()[0]", "copy.clone()", "copy it with a loop: double[] copy2 = new "
                + "double[copy.length]; for (int i2 = 0; i2 < copy.length; i2++) { copy2[i2] = copy[i2]; }");
    }

    @Test
    void fmaSaysMultiplyAndAddAndNamesTheSupportedFunctions() {
        String source = cls("    @Differentiable static double f(double x, double y, double z) {",
                "        return Math.fma(x, y + 1, z);",
                "    }");
        Compilation.Diag d = one(source, DiagnosticId.ADJ022, 5, "(x, y + 1, z)", "Math.fma has no derivative rule "
                + "in Adjoint", "write x * (y + 1) + z instead (the same value but for rounding: fma rounds once); the "
                + "supported functions of Math and StrictMath are " + MathFunctions.namesText());
        assertTrue(d.message().contains("sin cos tan"), d::message);
        clean(source.replace("Math.fma(x, y + 1, z)", code(d, "Way out: write ", " instead")));
    }

    @Test
    void integerMathOnDoublesSaysCastOrTheDoubleFormula() {
        String source = cls("    @Differentiable static double f(double x) {",
                "        return Math.floorMod(x, 3);",
                "    }");
        Compilation.Diag d = one(source, DiagnosticId.ADJ026, 5, "(x, 3)", "Math.floorMod(double, int)",
                "Math.floorMod takes int or long arguments: cast the double ones to long, as in (long) x, or for "
                        + "doubles write x - 3 * Math.floor(x / 3)");
        clean(source.replace("Math.floorMod(x, 3)", code(d, "for doubles write ")));
    }

    @Test
    void varargsCallSaysPassAnArray() {
        String source = cls("    static double sum(double... xs) { return xs.length == 0 ? 0 : xs[0] + xs[1]; }",
                "    @Differentiable static double f(double x, double a, double b) {",
                "        return x * sum(a, b, 2);",
                "    }");
        Compilation.Diag d = one(source, DiagnosticId.ADJ024, 6, "(a, b, 2)", "call of the varargs method sum",
                "pass the variable arguments as one array: sum(new double[] {a, b, 2})");
        clean(source.replace("sum(a, b, 2)", code(d, "as one array: "))
                .replace("@Differentiable static", "@Differentiable(wrt = \"x\") static"));
    }

    @Test
    void noMessageSendsAJarUserToTheDocs() {
        for (DiagnosticId id : DiagnosticId.values()) {
            assertTrue(!id.wayOut().contains("docs/") && !id.wayOut().contains(".md"), id::toString);
        }
    }
}
