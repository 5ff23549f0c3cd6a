package dev.adjoint.processor;

import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.RandomPoints;
import org.junit.jupiter.api.Test;

/**
 * Custom derivative rules ({@code @Pushforward}, {@code @Pullback}): for a method without source here (the JDK's
 * {@code Double.sum}, {@code Math.log1p}'s neighbour functions stand in for a library), and replacing the derived
 * derivative of one with source. Every rule is checked against finite differences and forward against reverse mode;
 * the rule itself is seen to be called.
 */
class CustomRulesTest {
    private static final Compilation COMPILED = Javac.adjoint().strict().compile(java.util.Map.of("custom.Rules", """
            package custom;

            import dev.adjoint.Pullback;
            import dev.adjoint.Pushforward;

            final class Rules {
                private Rules() {}

                /** d/da Double.sum(a, b) = 1, d/db = 1: a pullback of two double parameters returns both. */
                @Pullback(of = Double.class, method = "sum")
                static double[] sumPullback(double a, double b, double yBar) {
                    return new double[] {yBar, yBar};
                }

                /** Only a pushforward: reverse mode derives from it. */
                @Pushforward(of = Double.class, method = "max")
                static double maxPushforward(double a, double b, double aDot, double bDot) {
                    return a >= b ? aDot : bDot;
                }

                /** A stable pullback for softplus, replacing the one Adjoint would derive from its source. */
                @Pullback(of = Model.class, method = "softplus")
                static double softplusPullback(double x, double yBar) {
                    return yBar / (1 + Math.exp(-x));
                }

                /** Both rules for scaledCube: each mode uses its own. */
                @Pushforward(of = Model.class, method = "scaledCube")
                static double scaledCubePushforward(double x, int k, double xDot) {
                    return 3 * k * x * x * xDot;
                }

                @Pullback(of = Model.class, method = "scaledCube")
                static double scaledCubePullback(double x, int k, double yBar) {
                    return 3 * k * x * x * yBar;
                }
            }
            """, "custom.Model", """
            package custom;

            import dev.adjoint.Differentiable;

            class Model {
                static double softplus(double x) {
                    return Math.log(1 + Math.exp(x));
                }

                static double scaledCube(double x, int k) {
                    return k * x * x * x;
                }

                @Differentiable
                static double sums(double a, double b) {
                    return Double.sum(a * a, Math.sin(b)) * b;
                }

                @Differentiable
                static double maxima(double a, double b) {
                    return Double.max(a * 2, b + 1) * a;
                }

                @Differentiable
                static double soft(double x, double y) {
                    return softplus(x * y) + softplus(-x);
                }

                @Differentiable
                static double cubes(double x) {
                    return scaledCube(x, 2) + scaledCube(Math.sin(x), 3);
                }
            }
            """)).assertSucceeded();

    private static Grad grad(String method) {
        return Grad.of(COMPILED, "custom.Model", method);
    }

    private static void check(String method, long seed) {
        GradientCheck.of(grad(method)).atAll(RandomPoints.points(seed, 10, r -> method.equals("cubes")
                ? new Object[] {r.uniform(-2, 2)} : new Object[] {r.uniform(-2, 2), r.uniform(-2, 2)}))
                .assertPassed(10, 0.2);
    }

    @Test
    void pullbackOfAFunctionWithoutSource() {
        double a = 0.5;
        double b = 1.2;
        Grad.Result r = grad("sums").grad(a, b);
        assertClose("∂/∂a = 2ab", 2 * a * b, r.scalar("a"), 1e-15);
        assertClose("∂/∂b = cos(b) b + (a² + sin b)", Math.cos(b) * b + a * a + Math.sin(b), r.scalar("b"), 1e-15);
        check("sums", 1);
        assertTrue(COMPILED.generatedSource("custom.ModelGrad").contains("Rules.sumPullback("));
    }

    @Test
    void reverseModeDerivedFromAPushforward() {
        check("maxima", 2);
        // a = 1, b = 0: max is 2a, so f = 2a², ∂/∂a = 4a, ∂/∂b = 0
        Grad.Result r = grad("maxima").grad(1.0, 0.0);
        assertClose("∂/∂a", 4, r.scalar("a"), 0);
        assertClose("∂/∂b", 0, r.scalar("b"), 0);
    }

    @Test
    void customRuleReplacesTheDerivedOne() {
        check("soft", 3);
        String generated = COMPILED.generatedSource("custom.ModelGrad");
        assertTrue(generated.contains("Rules.softplusPullback("), "the rule is called");
        assertTrue(generated.contains("Model.softplus("), "softplus is called, not inlined");
        // far in the tail, where log(1 + e^x) is 0 in floating point, the rule still gives e^x / (1 + e^x)
        double x = -40;
        Grad.Result r = grad("soft").grad(x, 1.0);
        assertClose("∂/∂y = x σ(x y)", x / (1 + Math.exp(-x)), r.scalar("y"), 1e-15);
    }

    @Test
    void eachModeUsesItsOwnRuleWhenBothAreGiven() {
        check("cubes", 4);
        String generated = COMPILED.generatedSource("custom.ModelGrad");
        String gradient = generated.substring(generated.indexOf("public static CubesGradient cubes(double x,"));
        gradient = gradient.substring(0, gradient.indexOf("\n    }\n"));
        assertTrue(gradient.contains("scaledCubePullback("), gradient);
        assertFalse(gradient.contains("scaledCubePushforward("), gradient);
        String jvp = generated.substring(generated.indexOf("public static CubesJvp cubesJvp(double x, double xDot,"));
        jvp = jvp.substring(0, jvp.indexOf("\n    }\n"));
        assertTrue(jvp.contains("scaledCubePushforward("), jvp);
        assertFalse(jvp.contains("scaledCubePullback("), jvp);
        double x = 0.7;
        assertEquals(6 * x * x + 9 * Math.pow(Math.sin(x), 2) * Math.cos(x), grad("cubes").grad(x).scalar("x"), 1e-14);
    }

    /**
     * A custom rule for a method with array parameters: its pullback adds into the caller's adjoint arrays, its
     * pushforward takes their tangents. The rule here is a stable softmax-weighted log-sum-exp of a library.
     */
    private static final Compilation ARRAYS = Javac.adjoint().strict().compile(java.util.Map.of("vendor.Lse", """
            package vendor;

            /** Stands in for a vendor's library: its source is here, but the user's rules replace its derivative. */
            public final class Lse {
                private Lse() {}

                public static double lse(double[] x, double t) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (double v : x) {
                        m = Math.max(m, v * t);
                    }
                    double s = 0;
                    for (double v : x) {
                        s += Math.exp(v * t - m);
                    }
                    return m + Math.log(s);
                }
            }
            """, "app.Use", """
            package app;

            import dev.adjoint.Differentiable;
            import dev.adjoint.Pullback;
            import dev.adjoint.Pushforward;
            import vendor.Lse;

            public final class Use {
                private Use() {}

                static int pullbacks;

                /** d lse/dx_i = t·p_i and d lse/dt = Σ x_i p_i, with p the softmax of t·x. */
                @Pullback(of = Lse.class, method = "lse")
                static double lsePullback(double[] x, double t, double yBar, double[] xBar) {
                    pullbacks++;
                    double[] p = softmax(x, t);
                    double dt = 0;
                    for (int i = 0; i < x.length; i++) {
                        xBar[i] += yBar * t * p[i];
                        dt += x[i] * p[i];
                    }
                    return yBar * dt;
                }

                @Pushforward(of = Lse.class, method = "lse")
                static double lsePushforward(double[] x, double t, double[] xDot, double tDot) {
                    double[] p = softmax(x, t);
                    double d = 0;
                    for (int i = 0; i < x.length; i++) {
                        d += p[i] * (t * (xDot == null ? 0 : xDot[i]) + x[i] * tDot);
                    }
                    return d;
                }

                static double[] softmax(double[] x, double t) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (double v : x) {
                        m = Math.max(m, v * t);
                    }
                    double[] p = new double[x.length];
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        p[i] = Math.exp(x[i] * t - m);
                        s += p[i];
                    }
                    for (int i = 0; i < x.length; i++) {
                        p[i] /= s;
                    }
                    return p;
                }

                @Differentiable
                public static double f(double[] w, double t) {
                    double[] h = new double[w.length];
                    for (int i = 0; i < w.length; i++) {
                        h[i] = Math.sin(w[i]) * 3;
                    }
                    return Lse.lse(h, t * t) + Lse.lse(w, 2.0);
                }
            }
            """)).assertSucceeded();

    @Test
    void arrayRulesAddIntoTheCallersAdjointArrays() {
        Grad f = Grad.of(ARRAYS, "app.Use", "f");
        GradientCheck.of(f).atAll(RandomPoints.points(21, 12, p -> new Object[] {p.vector(5, -2, 2),
            p.uniform(0.3, 1.5)})).assertPassed(12, 0.1);
        String generated = ARRAYS.generatedSource("app.UseGrad");
        assertTrue(generated.contains("Use.lsePullback(h, "), "the user's pullback is called");
        assertTrue(generated.contains("Use.lsePushforward("), "and their pushforward");
    }

    @Test
    void anArrayRuleNeedsBothModes() {
        Compilation c = Javac.adjoint().compile(java.util.Map.of("app.Half", """
                package app;

                import dev.adjoint.Pullback;

                final class Half {
                    private Half() {}

                    @Pullback(of = java.util.Arrays.class, method = "hashCode")
                    static void hashPullback(double[] a, double yBar, double[] aBar) {
                    }
                }
                """));
        assertFalse(c.succeeded(), c::report);
        assertEquals(1, c.errors().size(), c::report);
        assertTrue(c.errors().get(0).message().contains("matches no overload of java.util.Arrays.hashCode that "
                + "custom rules support"), c::report);
        Compilation one = Javac.adjoint().compile(java.util.Map.of("app.One", """
                package app;

                import dev.adjoint.Pullback;

                public final class One {
                    private One() {}

                    public static double total(double[] a) {
                        double s = 0;
                        for (double v : a) {
                            s += v;
                        }
                        return s;
                    }

                    @Pullback(of = One.class, method = "total")
                    static void totalPullback(double[] a, double yBar, double[] aBar) {
                        for (int i = 0; i < a.length; i++) {
                            aBar[i] += yBar;
                        }
                    }
                }
                """));
        assertFalse(one.succeeded(), one::report);
        assertEquals(1, one.errors().size(), one::report);
        assertTrue(one.errors().get(0).message().contains("app.One.total has array parameters and only a pullback"),
                one::report);
        assertTrue(one.errors().get(0).message().contains("declare its @Pushforward too"), one::report);
    }
}
