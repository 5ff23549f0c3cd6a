package dev.adjoint.diagnostics;

import static dev.adjoint.diagnostics.Expect.clean;
import static dev.adjoint.diagnostics.Expect.code;
import static dev.adjoint.diagnostics.Expect.errors;
import static dev.adjoint.diagnostics.Expect.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.adjoint.processor.diagnostics.DiagnosticId;
import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Javac;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, item 5: one cause, one error. A method unusable as a whole (not static, no body) is reported as that and
 * not checked further; a wrong result type is reported once, at the declaration, and not again at each return; a
 * type parameter is reported once, not again at each type that uses it. Each test expects exactly one error in
 * the whole compile (or exactly the independent causes), at its position, and follows the way out.
 */
class RootCausesTest {
    private static final String HEADER = "package p;\nimport dev.adjoint.Differentiable;\n";

    @Test
    void recordInstanceMethodWithoutWrtIsOneErrorNamingTheFields() {
        // a record's method reads its components (w, this.b, b(), w()); they are constants unless wrt names them
        String source = HEADER + "record R(double w, double b) {\n"
                + "    @Differentiable double loss() { return w * w + this.b * b() + w() * 2; }\n}\n";
        Compilation.Diag d = one(source, DiagnosticId.ADJ034, 4, "@Differentiable", "loss has no double, double[] "
                + "or double[][] parameter, and the fields of its object are constants unless wrt names them",
                "name the fields to differentiate with respect to in wrt: @Differentiable(wrt = {\"this.w\", "
                        + "\"this.b\"})");
        clean(source.replace("@Differentiable double", code(d, "with respect to in wrt: ") + " double"));
    }

    @Test
    void instanceMethodWithOtherProblemsIsOneError() {
        // the object of a generic class cannot be passed: that is the one error, whatever else is wrong
        one(HEADER + "class C<T> {\n    double scale;\n"
                + "    @Differentiable <U> long f(U t, double... xs) { return (long) (scale * xs[0]); }\n}\n",
                DiagnosticId.ADJ006, 5, "f(", "f is an instance method of the generic class C", "make f static and "
                        + "pass the fields it reads (scale) as parameters: static long f(double scale, U t, double... "
                        + "xs), writing each field as its parameter (scale for this.scale)");
    }

    @Test
    void defaultInterfaceMethodIsOneError() {
        String source = HEADER + "interface I {\n    @Differentiable default double f(double x) { return x * x; }\n}\n";
        one(source, DiagnosticId.ADJ006, 4, "f(", "f is an instance method",
                "make f static (an instance method needs an object, and Adjoint's generated class has none)");
        clean(source.replace("default double", "static double"));
    }

    @Test
    void matrixResultIsOneError() {
        String source = HEADER + "class C {\n"
                + "    @Differentiable static double[][] g(double x) { return new double[][] {{x, x * x}}; }\n}\n";
        one(source, DiagnosticId.ADJ007, 4, "[][] g", "g returns double[][]", "declare g to return double (for its "
                + "gradient) or double[] (for its Jacobian): Adjoint differentiates a method with one double or "
                + "double[] result");
        clean(HEADER + "class C {\n"
                + "    @Differentiable static double[] g(double x) { return new double[] {x, x * x}; }\n}\n");
    }

    @Test
    void vectorMethodReturningANumberIsOneError() {
        String source = HEADER + "class C {\n"
                + "    @Differentiable static double[] g(double x) { return x; }\n}\n";
        one(source, DiagnosticId.ADJ007, 4, "x; }", "returns a double from a method declared to return double[]",
                "return a double[]");
        clean(source.replace("return x;", "return new double[] {x};"));
    }

    @Test
    void otherResultsAreOneErrorEach() {
        one(HEADER + "class C {\n    @Differentiable static boolean f(double x) { return x > 1; }\n}\n",
                DiagnosticId.ADJ007, 4, "boolean", "f returns boolean", "declare f to return double (for its "
                        + "gradient) or double[] (for its Jacobian): Adjoint differentiates a method with one double or "
                        + "double[] result");
        one(HEADER + "class C {\n    @Differentiable static String f(double x) { return \"a\" + x; }\n}\n",
                DiagnosticId.ADJ007, 4, "String", "f returns java.lang.String", "declare f to return double (for "
                        + "its gradient) or double[] (for its Jacobian): Adjoint differentiates a method with one double "
                        + "or double[] result");
        String voidMethod = HEADER + "class C {\n"
                + "    @Differentiable static void f(double x) { if (x > 0) return; x = x + 1; }\n}\n";
        one(voidMethod, DiagnosticId.ADJ007, 4, "void", "f returns void",
                "declare f to return double and end it with return <the value to differentiate>;");
        clean(voidMethod.replace("static void f(double x) { if (x > 0) return; x = x + 1; }",
                "static double f(double x) { if (x > 0) return x; x = x + 1; return x; }"));
    }

    @Test
    void abstractInterfaceMethodIsOneError() {
        String source = HEADER + "interface I {\n    @Differentiable double h(double x);\n}\n";
        Compilation.Diag d = one(source, DiagnosticId.ADJ023, 4, "h(", "h is abstract: it has no body to "
                + "differentiate", "annotate a static method with a body instead: @Differentiable static double "
                + "h(double x) { ... return ...; } (an abstract or interface method has no code to differentiate)");
        clean(source.replace("@Differentiable double h(double x);", code(d, "instead: ", " {")
                + " { return x * x; }"));
    }

    @Test
    void abstractAndNativeInstanceMethodsAreOneErrorEach() {
        one(HEADER + "abstract class C {\n    @Differentiable abstract double h(double x);\n}\n",
                DiagnosticId.ADJ023, 4, "h(", "h is abstract", "annotate a static method with a body instead: "
                        + "@Differentiable static double h(double x) { ... return ...; } (an abstract or interface "
                        + "method has no code to differentiate)");
        one(HEADER + "class C {\n    @Differentiable(wrt = \"nothing\") native <T> float h(T x);\n}\n",
                DiagnosticId.ADJ023, 4, "h(", "h is native", "write the computation in Java, in a static method with "
                        + "a body (static double h(T x) { ... return ...; }), and annotate that method");
    }

    @Test
    void genericResultAndParametersAreOneError() {
        String source = HEADER + "class C {\n"
                + "    @Differentiable static <T> T f(T t, java.util.List<T> ts, double x) { return t; }\n}\n";
        one(source, DiagnosticId.ADJ018, 4, "T>", "f has type parameters", "remove the type parameters <T>, declare "
                + "the result double and give the parameters that use them a supported type (double, int, long, "
                + "boolean, double[], double[][] or int[])");
        clean(source.replace("static <T> T f(T t, java.util.List<T> ts, double x) { return t; }",
                "static double f(double t, double[] ts, double x) { return t * x + ts[0]; }"));
    }

    @Test
    void genericVarargsAreTheirTwoCauses() {
        Compilation c = Javac.adjoint().compile(HEADER + "class C {\n"
                + "    @Differentiable static <T> double f(double x, T... ts) { return x; }\n}\n");
        assertNull(c.crash(), c::report);
        assertEquals(List.of("ADJ018", "ADJ017"), ids(c), c::report);
        assertEquals(1, errors(c, DiagnosticId.ADJ017).size(), c::report);
        assertEquals(". Way out: declare ts as an array of a supported type instead of T... ts, such as double[] ts "
                + "or int[] ts (callers then pass an array: new double[] {...}).",
                tail(errors(c, DiagnosticId.ADJ017).get(0)));
    }

    @Test
    void varargsOfAnUnsupportedTypeIsOneError() {
        one(HEADER + "class C {\n    @Differentiable static double f(double x, String... names) { return x; }\n}\n",
                DiagnosticId.ADJ017, 4, "names)", "parameter names is varargs", "declare names as an array of a "
                        + "supported type instead of String... names, such as double[] names or int[] names (callers "
                        + "then pass an array: new double[] {...})");
    }

    @Test
    void wrtOfARejectedParameterIsNotReportedAgain() {
        one(HEADER + "class C {\n"
                + "    @Differentiable(wrt = {\"x\", \"o\"}) static double f(double x, Object o) { return x; }\n}\n",
                DiagnosticId.ADJ028, 4, "Object", "parameter o of type java.lang.Object", "pass the numbers o holds "
                        + "as parameters of the supported types instead: double, int, long, boolean, double[], "
                        + "double[][] or int[]");
    }

    @Test
    void aNameGivenTwiceInWrtIsOneError() {
        one(HEADER + "class C {\n"
                + "    @Differentiable(wrt = {\"y\", \"y\"}) static double f(double x, double[] a) { return x; }\n}\n",
                DiagnosticId.ADJ004, 4, "\"y\"", "\"y\" is not a parameter of f", "name a parameter of f in "
                        + "@Differentiable(wrt = ...): \"x\", \"a\" (or leave wrt out to differentiate all of them)");
    }

    @Test
    void independentCausesInOneSignatureAreEachReportedOnce() {
        Compilation c = Javac.adjoint().compile(HEADER + "class C {\n"
                + "    @Differentiable(wrt = {\"x\", \"n\", \"z\"}) static long f(double x, int n, float g) {\n"
                + "        return n;\n    }\n}\n");
        assertNull(c.crash(), c::report);
        assertEquals(List.of("ADJ007", "ADJ028", "ADJ005", "ADJ004"), ids(c), c::report);
    }

    private static List<String> ids(Compilation c) {
        return c.errors().stream().map(d -> d.message().substring(1, 7)).collect(Collectors.toList());
    }

    private static String tail(Compilation.Diag d) {
        return d.message().substring(d.message().indexOf(". Way out: "));
    }
}
