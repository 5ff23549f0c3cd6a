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
}
