package dev.adjoint.processor;

import static dev.adjoint.testing.GradientCheck.assertClose;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.RandomPoints;
import org.junit.jupiter.api.Test;

/**
 * Values without a derivative inside differentiated code: {@code WithoutDerivative.of} (a value used, its derivative
 * not) and constant tables. Checked against closed forms, and forward against reverse mode; finite differences do
 * not apply to {@code WithoutDerivative.of}, whose derivative is zero by declaration, not by the function's slope.
 */
class ConstantsTest {
    private static final Compilation COMPILED = Javac.adjoint().strict().compile("""
            package consts;

            import dev.adjoint.Differentiable;
            import dev.adjoint.WithoutDerivative;

            class Tables {
                static final double[] COEFFS = {0.5, -0.25, 0.125};
                static final double[][] MIX = {{1, 2}, {3, 4}};
                static final double SQRT_TWO = Math.sqrt(2.0);

                /** A polynomial with a constant coefficient table: Σ cᵢ xⁱ. */
                @Differentiable
                static double poly(double x) {
                    double s = 0;
                    double p = 1;
                    for (int i = 0; i < COEFFS.length; i++) {
                        s += COEFFS[i] * p;
                        p *= x;
                    }
                    return s * SQRT_TWO;
                }

                /** A constant matrix times a vector, through a row alias: Σᵢ (M x)ᵢ². */
                @Differentiable
                static double mixed(double[] x) {
                    double s = 0;
                    for (double[] row : MIX) {
                        double z = row[0] * x[0] + row[1] * x[1];
                        s += z * z;
                    }
                    return s;
                }
            }

            class Private {
                private static final double SQRT_TWO = Math.sqrt(2.0);
                private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
                private static final double[] G = {1.0, SQRT_TWO, 3 * HALF_LOG_TWO_PI};
                private static final double[][] M = {{1, 0.5}, {-0.5, 2}};

                @Differentiable
                static double f(double x) {
                    double s = 0;
                    for (int i = 0; i < G.length; i++) {
                        s += G[i] * Math.pow(x, i);
                    }
                    return s * SQRT_TWO + M[1][1] * x - HALF_LOG_TWO_PI;
                }
            }

            class Stops {
                /** x · c with c = x held constant: d/dx = c = x (not 2x). */
                @Differentiable
                static double scaled(double x) {
                    double c = WithoutDerivative.of(x);
                    return x * c;
                }

                /** w·x / |w| with the norm held constant: d/dw = x / |w|. */
                @Differentiable
                static double normalised(double[] w, double[] x) {
                    double n = 0;
                    for (double v : w) {
                        n += v * v;
                    }
                    double scale = WithoutDerivative.of(Math.sqrt(n));
                    double s = 0;
                    for (int i = 0; i < w.length; i++) {
                        s += w[i] * x[i];
                    }
                    return s / scale;
                }

                /** A constant copy of an array: writing into it leaves w alone; d/dw = 2 w0 (from w[0]², not c). */
                @Differentiable
                static double copied(double[] w) {
                    double[] c = WithoutDerivative.of(w);
                    c[0] = c[0] * 3;
                    return w[0] * w[0] + c[0] * w[1];
                }
            }
            """).assertSucceeded();

    @Test
    void constantTables() {
        Grad poly = Grad.of(COMPILED, "consts.Tables", "poly");
        double x = 0.75;
        assertClose("d/dx √2 (−0.25 + 0.25 x)", Math.sqrt(2.0) * (-0.25 + 0.25 * x), poly.grad(x).scalar("x"), 1e-15);
        GradientCheck.of(poly).atAll(RandomPoints.points(31, 8, r -> new Object[] {r.uniform(-2, 2)})).assertPassed();
        Grad mixed = Grad.of(COMPILED, "consts.Tables", "mixed");
        // ∇ = 2 Mᵀ M x
        double[] v = {0.5, -1};
        double z0 = 0.5 - 2;
        double z1 = 1.5 - 4;
        assertClose("2 Mᵀ M x", new double[] {2 * (z0 + 3 * z1), 2 * (2 * z0 + 4 * z1)}, mixed.grad(v).vector("x"), 1e-15);
        GradientCheck.of(mixed).atAll(RandomPoints.points(32, 8, r -> new Object[] {r.vector(2, -2, 2)}))
                .assertPassed();
    }

    /** Private computed constants and tables: the generated class declares copies, computed the same way. */
    @Test
    void privateComputedConstantsAreCopied() {
        Grad g = Grad.of(COMPILED, "consts.Private", "f");
        double x = 0.6;
        double r2 = Math.sqrt(2.0);
        double h = 0.5 * Math.log(2 * Math.PI);
        assertClose("value", (1 + r2 * x + 3 * h * x * x) * r2 + 2 * x - h, g.grad(x).value(), 0);
        assertClose("d/dx", (r2 + 6 * h * x) * r2 + 2, g.grad(x).scalar("x"), 1e-15);
        GradientCheck.of(g).atAll(RandomPoints.points(33, 8, r -> new Object[] {r.uniform(0.1, 2)})).assertPassed();
        String generated = COMPILED.generatedSource("consts.PrivateGrad");
        org.junit.jupiter.api.Assertions.assertTrue(generated.contains(
                "private static final double SQRT_TWO = Math.sqrt(2.0);"), generated);
    }

    /** A constant table is read-only in differentiated code, directly or through an alias. */
    @Test
    void writingIntoATableIsAnError() {
        Compilation c = Javac.adjoint().compile("""
                package consts;

                import dev.adjoint.Differentiable;

                class Writes {
                    static final double[] T = {1, 2};

                    @Differentiable
                    static double f(double x) {
                        double[] alias = T;
                        alias[0] = x;
                        return T[0] * x;
                    }
                }
                """);
        org.junit.jupiter.api.Assertions.assertEquals(1, c.errors().size(), c::report);
        Compilation.Diag d = c.errors().get(0);
        org.junit.jupiter.api.Assertions.assertTrue(d.message().startsWith("[ADJ016] field access: write into a "
                + "static final array"), d::message);
        org.junit.jupiter.api.Assertions.assertEquals(11, d.line(), c::report);
    }

    @Test
    void valueWithoutItsDerivative() {
        Grad g = Grad.of(COMPILED, "consts.Stops", "scaled");
        assertClose("d/dx x·c with c = x constant", 1.5, g.grad(1.5).scalar("x"), 0);
        GradientCheck.assertClose("value", 2.25, g.grad(1.5).value(), 0);
    }

    @Test
    void normHeldConstant() {
        Grad g = Grad.of(COMPILED, "consts.Stops", "normalised");
        double[] w = {3, 4};
        double[] x = {1, -2};
        assertClose("∂/∂w = x / |w|", new double[] {0.2, -0.4}, g.grad(w, x).vector("w"), 1e-15);
        assertClose("∂/∂x = w / |w|", new double[] {0.6, 0.8}, g.grad(w, x).vector("x"), 1e-15);
    }

    @Test
    void constantCopyOfAnArray() {
        Grad g = Grad.of(COMPILED, "consts.Stops", "copied");
        double[] w = {0.5, 2};
        // f = w0² + (3 w0)_const · w1: ∂/∂w0 = 2 w0, ∂/∂w1 = 3 w0
        assertClose("∂/∂w", new double[] {1, 1.5}, g.grad(w).vector("w"), 0);
        assertClose("w is unchanged", new double[] {0.5, 2}, w, 0);
    }

    /** Forward mode agrees with reverse mode on all three (GradientCheck's JVP comparison), at random points. */
    @Test
    void forwardModeAgrees() {
        for (String m : new String[] {"scaled", "normalised", "copied"}) {
            Grad g = Grad.of(COMPILED, "consts.Stops", m);
            for (Object[] p : RandomPoints.points(m.hashCode(), 10, r -> switch (m) {
                case "scaled" -> new Object[] {r.uniform(-2, 2)};
                case "normalised" -> new Object[] {r.vector(3, 0.5, 2), r.vector(3, -1, 1)};
                default -> new Object[] {r.vector(2, -2, 2)};
            })) {
                double[] jvp = g.jvp(p, tangentsOf(g, p));
                double[] grad = flat(g, p);
                double[] t = flatTangents(g, p);
                double expected = 0;
                for (int i = 0; i < grad.length; i++) {
                    expected += grad[i] * t[i];
                }
                GradientCheck.assertClose(m + ": fJvp tangent = <gradient, tangent>", expected, jvp[1], 1e-14);
            }
        }
    }

    private static Object[] tangentsOf(Grad g, Object[] p) {
        int[] idx = g.differentiatedIndices();
        Object[] t = new Object[idx.length];
        for (int k = 0; k < idx.length; k++) {
            Object a = p[idx[k]];
            if (a instanceof Double) {
                t[k] = 0.75;
            } else {
                double[] v = ((double[]) a).clone();
                for (int i = 0; i < v.length; i++) {
                    v[i] = 0.5 - 0.25 * i;
                }
                t[k] = v;
            }
        }
        return t;
    }

    private static double[] flatTangents(Grad g, Object[] p) {
        Object[] t = tangentsOf(g, p);
        java.util.List<Double> out = new java.util.ArrayList<>();
        for (Object o : t) {
            for (double d : dev.adjoint.testing.FiniteDifferences.flatten(o)) {
                out.add(d);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] flat(Grad g, Object[] p) {
        Grad.Result r = g.grad(p);
        java.util.List<Double> out = new java.util.ArrayList<>();
        for (String name : g.differentiated()) {
            for (double d : dev.adjoint.testing.FiniteDifferences.flatten(r.get(name))) {
                out.add(d);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
