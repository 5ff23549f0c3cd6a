package dev.adjoint.processor;

import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.JacobianCheck;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.RandomPoints;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Calls between methods whose source is in the compilation: differentiated through where they are called (in
 * place), in both modes, whatever their access, annotated or not, in this class or another. Each method is checked
 * against finite differences and forward against reverse mode ({@link GradientCheck}), and against a closed form
 * where one is easy.
 */
class CallsTest {
    private static final String MODEL = """
            package calls;

            import dev.adjoint.Differentiable;

            class Model {
                private static double sigmoid(double z) {
                    return 1.0 / (1.0 + Math.exp(-z));
                }

                /** The standard normal CDF by Abramowitz and Stegun 26.2.17, with an early return. */
                static double cnd(double x) {
                    if (x < -10) {
                        return 0.0;
                    }
                    double t = 1.0 / (1.0 + 0.2316419 * Math.abs(x));
                    double poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937
                            + t * (-1.821255978 + t * 1.330274429))));
                    double tail = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI) * poly;
                    return x >= 0 ? 1 - tail : tail;
                }

                /** Black-Scholes call price: the CDF helper is called twice. */
                @Differentiable
                static double call(double s, double k, double vol, double r, double t) {
                    double d1 = (Math.log(s / k) + (r + 0.5 * vol * vol) * t) / (vol * Math.sqrt(t));
                    double d2 = d1 - vol * Math.sqrt(t);
                    return s * cnd(d1) - k * Math.exp(-r * t) * cnd(d2);
                }

                @Differentiable
                static double logistic(double w, double b, double x) {
                    return sigmoid(w * x + b);
                }

                /** A helper of another class, called in a loop, with array arguments and a loop inside. */
                @Differentiable
                static double layer(double[][] W, double[] x) {
                    double sum = 0;
                    for (int i = 0; i < W.length; i++) {
                        sum += sigmoid(Linear.dot(W[i], x));
                    }
                    return sum;
                }

                /** A call's result written into an array, the same helper at several places, and a chain of calls. */
                @Differentiable
                static double hidden(double[][] W, double[] x) {
                    double[] h = new double[W.length];
                    for (int i = 0; i < W.length; i++) {
                        h[i] = sigmoid(Linear.dot(W[i], x));
                    }
                    return Linear.dot(h, h) + sigmoid(h[0]) * Linear.norm(x);
                }

                /** A helper returning double[], and one writing into an array argument it is given. */
                @Differentiable
                static double scaled(double[] v, double c) {
                    double[] u = Linear.scale(v, c);
                    double[] squares = new double[v.length];
                    Linear.squaresInto(squares, u);
                    double s = 0;
                    for (double q : squares) {
                        s += q;
                    }
                    return s;
                }

                /** Calls in a while condition, in the right operand of &&, in a ?: arm, with int arguments and results. */
                @Differentiable
                static double conditions(double x, int n) {
                    double y = x;
                    int i = 0;
                    while (i < n && sigmoid(y) < 0.9) {
                        y = y + 0.25 * sigmoid(y + Linear.offset(i));
                        i++;
                    }
                    return y > 1 && sigmoid(y) > 0.5 ? y * sigmoid(x) : cnd(y);
                }

                /** An annotated method is differentiated through too, its own wrt aside. */
                @Differentiable(wrt = "b")
                static double annotated(double a, double b) {
                    return a * a * b;
                }

                @Differentiable
                static double callsAnnotated(double x) {
                    return annotated(x, 3) + annotated(2, x);
                }

                /** A helper that assigns its own parameters and returns from inside a loop. */
                static double firstAbove(double[] v, double limit) {
                    for (int i = 0; i < v.length; i++) {
                        if (v[i] > limit) {
                            return v[i] * limit;
                        }
                        limit = limit * 0.9;
                    }
                    return limit;
                }

                @Differentiable
                static double search(double[] v, double limit) {
                    return firstAbove(v, limit) + firstAbove(v, 2 * limit);
                }

                /** Overloads are told apart as javac does. */
                static double size(double x) {
                    return x * x;
                }

                static double size(double[] v) {
                    return Linear.dot(v, v);
                }

                @Differentiable
                static double overloads(double x, double[] v) {
                    return size(x) + size(v);
                }
            }

            final class Linear {
                private Linear() {}

                static double dot(double[] a, double[] b) {
                    double s = 0;
                    for (int i = 0; i < a.length; i++) {
                        s += a[i] * b[i];
                    }
                    return s;
                }

                static double norm(double[] a) {
                    return Math.sqrt(dot(a, a));
                }

                private static double[] newLike(double[] v) {
                    return new double[v.length];
                }

                static double[] scale(double[] v, double c) {
                    double[] r = newLike(v);
                    for (int i = 0; i < v.length; i++) {
                        r[i] = c * v[i];
                    }
                    return r;
                }

                static int squaresInto(double[] out, double[] v) {
                    for (int i = 0; i < v.length; i++) {
                        out[i] = v[i] * v[i];
                    }
                    return v.length;
                }

                static int offset(int i) {
                    return i % 2 == 0 ? 1 : -1;
                }
            }
            """;

    private static final Compilation COMPILED = Javac.adjoint().strict().compile(MODEL).assertSucceeded();

    private static Grad grad(String method) {
        return Grad.of(COMPILED, "calls.Model", method);
    }

    private static void check(String method, long seed, Function<RandomPoints, Object[]> generator) {
        GradientCheck.of(grad(method)).atAll(RandomPoints.points(seed, 12, generator)).assertPassed(12, 0.2);
    }

    @Test
    void blackScholesWithAHelperCalledTwice() {
        check("call", 1, p -> new Object[] {p.uniform(80, 120), p.uniform(90, 110), p.uniform(0.1, 0.5),
            p.uniform(0.0, 0.08), p.uniform(0.2, 2.0)});
        // delta is N(d1) for the exact CDF; the approximation is within 7.5e-8 of it, and so is its derivative's
        // contribution here
        double s = 100;
        double k = 95;
        double vol = 0.2;
        double r = 0.03;
        double t = 0.5;
        double d1 = (Math.log(s / k) + (r + 0.5 * vol * vol) * t) / (vol * Math.sqrt(t));
        Grad.Result g = grad("call").grad(s, k, vol, r, t);
        assertEquals(normalCdf(d1), g.scalar("s"), 2e-6, "delta");
        double vega = s * Math.exp(-0.5 * d1 * d1) / Math.sqrt(2 * Math.PI) * Math.sqrt(t);
        assertEquals(vega, g.scalar("vol"), 2e-4, "vega");
    }

    /** The normal CDF by the error function's series (exact to 1e-15 here), to compare with. */
    private static double normalCdf(double x) {
        double z = x / Math.sqrt(2);
        double sum = 0;
        double term = z;
        for (int n = 0; n < 60; n++) {
            sum += term / (2 * n + 1);
            term *= -z * z / (n + 1);
        }
        return 0.5 * (1 + 2 / Math.sqrt(Math.PI) * sum);
    }

    @Test
    void privateHelperHasTheClosedForm() {
        Grad g = grad("logistic");
        double w = 0.7;
        double b = -0.2;
        double x = 1.5;
        double sig = 1 / (1 + Math.exp(-(w * x + b)));
        Grad.Result r = g.grad(w, b, x);
        assertClose("∂/∂w = σ(1 − σ) x", sig * (1 - sig) * x, r.scalar("w"), 1e-15);
        assertClose("∂/∂b = σ(1 − σ)", sig * (1 - sig), r.scalar("b"), 1e-15);
        check("logistic", 2, p -> new Object[] {p.uniform(-2, 2), p.uniform(-2, 2), p.uniform(-2, 2)});
    }

    @Test
    void helperOfAnotherClassInALoopWithArrayArguments() {
        check("layer", 3, p -> new Object[] {p.matrix(3, 4, -1, 1), p.vector(4, -1, 1)});
        // ∂/∂W[i][j] = σ'(W_i·x) x_j
        double[][] W = {{0.5, -0.25}, {1, 2}};
        double[] x = {0.3, -0.6};
        Grad.Result r = grad("layer").grad(W, x);
        for (int i = 0; i < 2; i++) {
            double z = W[i][0] * x[0] + W[i][1] * x[1];
            double sig = 1 / (1 + Math.exp(-z));
            for (int j = 0; j < 2; j++) {
                assertClose("∂/∂W[" + i + "][" + j + "]", sig * (1 - sig) * x[j], r.matrix("W")[i][j], 1e-15);
            }
        }
    }

    @Test
    void resultsWrittenIntoArraysAndChainsOfCalls() {
        check("hidden", 4, p -> new Object[] {p.matrix(3, 2, -1, 1), p.vector(2, -1, 1)});
    }

    @Test
    void helperReturningAnArrayAndOneWritingIntoItsArgument() {
        Grad g = grad("scaled");
        double[] v = {1, -2, 3};
        Grad.Result r = g.grad(v, 0.5);
        // f = c² Σ v², so ∂/∂v = 2c² v and ∂/∂c = 2c Σ v²
        assertClose("∂/∂v", new double[] {0.5, -1, 1.5}, r.vector("v"), 1e-15);
        assertClose("∂/∂c", 14, r.scalar("c"), 1e-15);
        check("scaled", 5, p -> new Object[] {p.vector(4, -2, 2), p.uniform(-2, 2)});
    }

    @Test
    void callsInConditionsAndArms() {
        check("conditions", 6, p -> new Object[] {p.uniform(-2, 2), 6});
    }

    @Test
    void annotatedMethodCalledFromAnother() {
        Grad g = grad("callsAnnotated");
        // f = 3x² + 4x
        assertClose("∂f/∂x", 6 * 1.25 + 4, g.grad(1.25).scalar("x"), 1e-15);
        check("callsAnnotated", 7, p -> new Object[] {p.uniform(-2, 2)});
    }

    @Test
    void helperAssigningItsParametersAndReturningFromALoop() {
        check("search", 8, p -> new Object[] {p.vector(5, -1, 2), p.uniform(0.2, 1.5)});
    }

    @Test
    void overloadsAreResolvedAsJavacDoes() {
        Grad g = grad("overloads");
        Grad.Result r = g.grad(1.5, new double[] {1, 2});
        assertClose("∂/∂x = 2x", 3, r.scalar("x"), 0);
        assertClose("∂/∂v = 2v", new double[] {2, 4}, r.vector("v"), 0);
        check("overloads", 9, p -> new Object[] {p.uniform(-2, 2), p.vector(3, -2, 2)});
    }

    /** The generated class never calls the helpers: each is in place, so their access does not matter. */
    @Test
    void generatedCodeHasTheHelpersInPlace() {
        String generated = COMPILED.generatedSource("calls.ModelGrad");
        assertFalse(generated.contains("Model.sigmoid("), "sigmoid is private: it must not be called");
        assertTrue(generated.contains("static double sigmoidPullback(double z, double yBar)"),
                "its entry points are generated, package-private as it is private");
        assertFalse(generated.contains("Linear.dot("), "dot is inlined");
        assertTrue(generated.contains("double sigmoidValue"), "the inlined result is named after the method");
    }

    /** A helper in a separate source file of the same compilation, returning double[] to a vector method. */
    @Test
    void helperInAnotherFileAndAVectorResult() {
        Compilation c = Javac.adjoint().strict().compile(Map.of(
                "calls.Layers", """
                        package calls;

                        final class Layers {
                            private Layers() {}

                            static double[] tanhLayer(double[][] W, double[] x) {
                                double[] h = new double[W.length];
                                for (int i = 0; i < W.length; i++) {
                                    double z = 0;
                                    for (int j = 0; j < x.length; j++) {
                                        z += W[i][j] * x[j];
                                    }
                                    h[i] = Math.tanh(z);
                                }
                                return h;
                            }
                        }
                        """,
                "calls.Net", """
                        package calls;

                        import dev.adjoint.Differentiable;

                        class Net {
                            @Differentiable
                            static double[] net(double[][] W1, double[][] W2, double[] x) {
                                return Layers.tanhLayer(W2, Layers.tanhLayer(W1, x));
                            }
                        }
                        """)).assertSucceeded();
        JacobianCheck j = JacobianCheck.of(c, "calls.Net", "net", "W1", "W2", "x");
        RandomPoints.points(10, 5, p -> new Object[] {p.matrix(3, 2, -1, 1), p.matrix(2, 3, -1, 1),
            p.vector(2, -1, 1)}).forEach(j::at);
        j.assertPassed();
    }

    /** An error inside a helper of another file is reported at the helper's own line, in its file, and the call too. */
    @Test
    void errorInAHelperOfAnotherFileIsReportedThere() {
        Compilation c = Javac.adjoint().compile(Map.of(
                "calls.Util", """
                        package calls;

                        final class Util {
                            private Util() {}

                            static double twice(double v) {
                                synchronized (Util.class) {
                                    v = 2 * v;
                                }
                                return v;
                            }
                        }
                        """,
                "calls.User", """
                        package calls;

                        import dev.adjoint.Differentiable;

                        class User {
                            @Differentiable
                            static double f(double x) {
                                return Util.twice(x) + 1;
                            }
                        }
                        """));
        assertEquals(2, c.errors().size(), c::report);
        Compilation.Diag inHelper = c.errors().stream().filter(d -> d.message().startsWith("[ADJ014]")).findFirst()
                .orElseThrow();
        assertTrue(inHelper.file().contains("Util"), c::report);
        assertEquals(7, inHelper.line(), c::report);
        Compilation.Diag atCall = c.errors().stream().filter(d -> d.message().startsWith("[ADJ035]")).findFirst()
                .orElseThrow();
        assertTrue(atCall.file().contains("User"), c::report);
        assertEquals(8, atCall.line(), c::report);
    }

    /** Void helpers writing into an output array, the usual Java style, with an early return. */
    @Test
    void voidHelpersWritingIntoAnOutputArray() {
        Compilation c = Javac.adjoint().strict().compile("""
                package calls;

                import dev.adjoint.Differentiable;

                class Out {
                    static void matVec(double[][] a, double[] x, double[] out) {
                        for (int i = 0; i < a.length; i++) {
                            double s = 0;
                            for (int j = 0; j < x.length; j++) {
                                s += a[i][j] * x[j];
                            }
                            out[i] = s;
                        }
                    }

                    private static void tanhInPlace(double[] v, int upTo) {
                        for (int i = 0; i < v.length; i++) {
                            if (i >= upTo) {
                                return;
                            }
                            v[i] = Math.tanh(v[i]);
                        }
                    }

                    @Differentiable
                    static double net(double[][] w, double[] x) {
                        double[] h = new double[w.length];
                        matVec(w, x, h);
                        tanhInPlace(h, 2);
                        double s = 0;
                        for (double v : h) {
                            s += v * v;
                        }
                        return s;
                    }
                }
                """).assertSucceeded();
        Grad g = Grad.of(c, "calls.Out", "net");
        GradientCheck.of(g).atAll(RandomPoints.points(11, 10, p -> new Object[] {p.matrix(3, 2, -1, 1),
            p.vector(2, -1, 1)})).assertPassed(10, 0.2);
        // h = (tanh(w0·x), tanh(w1·x), w2·x): ∂/∂x = Σ 2 h_i ∂h_i/∂x
        double[][] w = {{1, 0}, {0, 1}, {1, 1}};
        double[] x = {0.5, -0.25};
        double t0 = Math.tanh(0.5);
        double t1 = Math.tanh(-0.25);
        double h2 = 0.25;
        double[] expected = {2 * t0 * (1 - t0 * t0) + 2 * h2, 2 * t1 * (1 - t1 * t1) + 2 * h2};
        assertClose("∂/∂x", expected, g.grad(w, x).vector("x"), 1e-15);
    }

    /**
     * A public helper of another package whose body reads that package's non-public computed constants: inlined in
     * the caller's generated class, which copies them (two of the same name, from two classes, stay apart).
     */
    @Test
    void helperOfAnotherPackageWithItsOwnConstants() {
        Compilation c = Javac.adjoint().strict().compile(Map.of(
                "lib.Act", """
                        package lib;

                        public final class Act {
                            static final double K = Math.sqrt(3.0);

                            private Act() {}

                            public static double scaled(double x) {
                                return K * x * x;
                            }
                        }
                        """,
                "lib.Other", """
                        package lib;

                        public final class Other {
                            private static final double K = Math.log(5.0);

                            private Other() {}

                            public static double shifted(double x) {
                                return x + K;
                            }
                        }
                        """,
                "app.User", """
                        package app;

                        import dev.adjoint.Differentiable;

                        class User {
                            @Differentiable
                            static double f(double x) {
                                return lib.Act.scaled(x) * lib.Other.shifted(x);
                            }
                        }
                        """)).assertSucceeded();
        Grad g = Grad.of(c, "app.User", "f");
        double x = 0.8;
        double k = Math.sqrt(3.0);
        double l = Math.log(5.0);
        // f = k x² (x + l)
        assertClose("value", k * x * x * (x + l), g.grad(x).value(), 1e-15);
        assertClose("d/dx", k * (3 * x * x + 2 * l * x), g.grad(x).scalar("x"), 1e-14);
        GradientCheck.of(g).atAll(RandomPoints.points(12, 6, p -> new Object[] {p.uniform(-2, 2)})).assertPassed();
    }

    /**
     * A call that stays a call (a recursive helper, constant arguments) to a second top-level class of the user's
     * file, and a table read from it: the generated class compiles under -Xlint:all -Werror (javac's auxiliaryclass
     * lint is suppressed on it, since it reproduces the user's own references).
     */
    @Test
    void keptCallIntoAnAuxiliaryClass() {
        Compilation c = Javac.adjoint().strict().compile("""
                package calls;

                import dev.adjoint.Differentiable;

                class Main {
                    @Differentiable
                    static double f(double x) {
                        return x * Aux.depth(3) + Aux.T[1] * x * x;
                    }
                }

                final class Aux {
                    static final double[] T = {1, 2};

                    private Aux() {}

                    static int depth(int n) {
                        return n <= 0 ? 0 : 1 + depth(n - 1);
                    }
                }
                """).assertSucceeded();
        assertClose("d/dx 3x + 2x²", 3 + 4 * 1.5, Grad.of(c, "calls.Main", "f").grad(1.5).scalar("x"), 0);
    }
}
