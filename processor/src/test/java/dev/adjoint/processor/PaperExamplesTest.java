package dev.adjoint.processor;

import static dev.adjoint.processor.GradientTesting.checkFd;
import static dev.adjoint.processor.GradientTesting.grad;
import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.testing.Grad;
import dev.adjoint.testing.RandomPoints;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of Parr and Howard, "The Matrix Calculus You Need For Deep Learning"
 * (../shared/reference/matrix-calculus.md), against their closed forms, computed here independently in plain Java,
 * at seeded random points, and against finite differences.
 */
class PaperExamplesTest {
    /** Generated gradients should match closed forms up to rounding. */
    static final double EXACT = 1e-12;
    static final int POINTS = 8;

    static List<Object[]> points(long seed, java.util.function.Function<RandomPoints, Object[]> generator) {
        return RandomPoints.points(seed, POINTS, generator);
    }

    @Test
    void gradientOf3x2y() {
        // "Consider function f(x,y) = 3x²y ... ∇f(x, y) = [6yx, 3x²]"
        Grad g = grad("""
                package paper;

                import dev.adjoint.Differentiable;

                class Gradient3x2y {
                    @Differentiable
                    static double f(double x, double y) {
                        return 3 * x * x * y;
                    }
                }
                """, "f");
        assertEquals(List.of("x", "y"), g.differentiated());
        for (Object[] p : points(1, r -> new Object[] {r.uniform(-3, 3), r.uniform(-3, 3)})) {
            double x = (Double) p[0];
            double y = (Double) p[1];
            Grad.Result r = g.grad(x, y);
            assertClose("f", 3 * x * x * y, r.value(), EXACT);
            assertClose("∂f/∂x = 6yx", 6 * y * x, r.scalar("x"), EXACT);
            assertClose("∂f/∂y = 3x²", 3 * x * x, r.scalar("y"), EXACT);
        }
        checkFd(g, r -> new Object[] {r.uniform(-3, 3), r.uniform(-3, 3)});
    }

    @Test
    void gradientOf2xPlusY8() {
        // "g(x,y) = 2x + y⁸ ... ∇g(x, y) = [2, 8y⁷]"
        Grad g = grad("""
                package paper;

                import dev.adjoint.Differentiable;

                class Gradient2xY8 {
                    @Differentiable
                    static double g(double x, double y) {
                        return 2 * x + Math.pow(y, 8);
                    }
                }
                """, "g");
        for (Object[] p : points(2, r -> new Object[] {r.uniform(-3, 3), r.uniform(-1.5, 1.5)})) {
            double x = (Double) p[0];
            double y = (Double) p[1];
            Grad.Result r = g.grad(x, y);
            assertClose("∂g/∂x = 2", 2, r.scalar("x"), EXACT);
            assertClose("∂g/∂y = 8y⁷", 8 * Math.pow(y, 7), r.scalar("y"), EXACT);
        }
        checkFd(g, r -> new Object[] {r.uniform(-3, 3), r.uniform(-1.5, 1.5)});
    }

    @Test
    void chainRuleSinOfXSquared() {
        // "d/dx sin(x²) = 2x cos(x²)"
        Grad g = grad("""
                package paper;

                import dev.adjoint.Differentiable;

                class SinXSquared {
                    @Differentiable
                    static double y(double x) {
                        return Math.sin(x * x);
                    }
                }
                """, "y");
        for (Object[] p : points(3, r -> new Object[] {r.uniform(-3, 3)})) {
            double x = (Double) p[0];
            assertClose("2x·cos(x²)", 2 * x * Math.cos(x * x), g.grad(x).scalar("x"), EXACT);
        }
        checkFd(g, r -> new Object[] {r.uniform(-3, 3)});
    }

    @Test
    void chainRuleThroughIntermediateVariables() {
        // The same with the paper's intermediate variables u = x², y = sin(u).
        Grad g = grad("""
                package paper;

                import dev.adjoint.Differentiable;

                class SinXSquaredSteps {
                    @Differentiable
                    static double y(double x) {
                        double u = x * x;
                        double y = Math.sin(u);
                        return y;
                    }
                }
                """, "y");
        for (Object[] p : points(4, r -> new Object[] {r.uniform(-3, 3)})) {
            double x = (Double) p[0];
            assertClose("2x·cos(x²)", 2 * x * Math.cos(x * x), g.grad(x).scalar("x"), EXACT);
        }
    }

    @Test
    void lnOfSinXCubedSquared() {
        // "y = f(x) = ln(sin(x³)²) ... dy/dx = 6x² cos(x³) / sin(x³)"
        Grad g = grad("""
                package paper;

                import dev.adjoint.Differentiable;

                class LnSinCubedSquared {
                    @Differentiable
                    static double y(double x) {
                        double u1 = x * x * x;
                        double u2 = Math.sin(u1);
                        double u3 = u2 * u2;
                        return Math.log(u3);
                    }
                }
                """, "y");
        for (Object[] p : points(5, r -> new Object[] {r.uniform(0.3, 1.4)})) {
            double x = (Double) p[0];
            double expected = 6 * x * x * Math.cos(x * x * x) / Math.sin(x * x * x);
            assertClose("6x²cos(x³)/sin(x³)", expected, g.grad(x).scalar("x"), EXACT);
        }
        checkFd(g, r -> new Object[] {r.uniform(0.3, 1.4)});
    }

    @Test
    void totalDerivativeOfXPlusXSquared() {
        // "y = x + x² ... dy/dx = 1 + 2x"
        Grad g = grad("""
                package paper;

                import dev.adjoint.Differentiable;

                class XPlusXSquared {
                    @Differentiable
                    static double y(double x) {
                        return x + x * x;
                    }
                }
                """, "y");
        for (Object[] p : points(6, r -> new Object[] {r.uniform(-5, 5)})) {
            double x = (Double) p[0];
            assertClose("1 + 2x", 1 + 2 * x, g.grad(x).scalar("x"), EXACT);
        }
        checkFd(g, r -> new Object[] {r.uniform(-5, 5)});
    }

    @Test
    void totalDerivativeOfSinOfXPlusXSquared() {
        // "f(x) = sin(x + x²) ... df/dx = cos(x + x²)(1 + 2x)"
        Grad g = grad("""
                package paper;

                import dev.adjoint.Differentiable;

                class SinXPlusXSquared {
                    @Differentiable
                    static double f(double x) {
                        double u1 = x * x;
                        double u2 = x + u1;
                        return Math.sin(u2);
                    }
                }
                """, "f");
        for (Object[] p : points(7, r -> new Object[] {r.uniform(-3, 3)})) {
            double x = (Double) p[0];
            assertClose("cos(x + x²)(1 + 2x)", Math.cos(x + x * x) * (1 + 2 * x), g.grad(x).scalar("x"), EXACT);
        }
        checkFd(g, r -> new Object[] {r.uniform(-3, 3)});
    }

    @Test
    void totalDerivativeOfXTimesXSquared() {
        // "y = x × x² ... dy/dx = x² + 2x² = 3x²"
        Grad g = grad("""
                package paper;

                import dev.adjoint.Differentiable;

                class XTimesXSquared {
                    @Differentiable
                    static double y(double x) {
                        double u1 = x * x;
                        return x * u1;
                    }
                }
                """, "y");
        for (Object[] p : points(8, r -> new Object[] {r.uniform(-5, 5)})) {
            double x = (Double) p[0];
            assertClose("3x²", 3 * x * x, g.grad(x).scalar("x"), EXACT);
        }
        checkFd(g, r -> new Object[] {r.uniform(-5, 5)});
    }

    static final String AFFINE = """
            package paper;

            import dev.adjoint.Differentiable;

            class Affine {
                @Differentiable(wrt = {"w", "b"})
                static double z(double[] w, double[] x, double b) {
                    double s = 0;
                    for (int i = 0; i < w.length; i++) {
                        s += w[i] * x[i];
                    }
                    return s + b;
                }
            }
            """;

    @Test
    void affineFunction() {
        // "z(x) = w·x + b ... ∂z/∂w = xᵀ, ∂z/∂b = 1"
        Grad g = grad(AFFINE, "z");
        assertEquals(List.of("w", "b"), g.differentiated());
        for (Object[] p : points(9, r -> new Object[] {r.vector(4, -2, 2), r.vector(4, -2, 2), r.uniform(-1, 1)})) {
            double[] x = (double[]) p[1];
            Grad.Result r = g.grad(p);
            assertClose("∂z/∂w = xᵀ", x, r.vector("w"), EXACT);
            assertClose("∂z/∂b = 1", 1, r.scalar("b"), EXACT);
        }
        checkFd(g, r -> new Object[] {r.vector(4, -2, 2), r.vector(4, -2, 2), r.uniform(-1, 1)});
    }

    static final String NEURON = """
            package paper;

            import dev.adjoint.Differentiable;

            class Neuron {
                @Differentiable(wrt = {"w", "b"})
                static double activation(double[] w, double[] x, double b) {
                    double z = b;
                    for (int i = 0; i < w.length; i++) {
                        z += w[i] * x[i];
                    }
                    return Math.max(0, z);
                }
            }
            """;

    /** w, x and a b that puts z = w·x + b at {@code sign}·[0.1, 2). */
    static Object[] neuronPoint(RandomPoints r, double sign) {
        double[] w = r.vector(5, -1, 1);
        double[] x = r.vector(5, -1, 1);
        double dot = 0;
        for (int i = 0; i < 5; i++) {
            dot += w[i] * x[i];
        }
        double z = sign * r.uniform(0.1, 2);
        return new Object[] {w, x, z - dot};
    }

    @Test
    void neuronActivationOnBothSidesOfTheKink() {
        // "∂/∂w max(0, w·x + b) = 0 if z ≤ 0, xᵀ if z > 0"; "∂/∂b = 0 if z ≤ 0, 1 if z > 0"
        Grad g = grad(NEURON, "activation");
        assertEquals(List.of("w", "b"), g.differentiated());
        for (Object[] p : points(10, r -> neuronPoint(r, +1))) {
            Grad.Result r = g.grad(p);
            assertClose("active: ∂/∂w = xᵀ", (double[]) p[1], r.vector("w"), EXACT);
            assertClose("active: ∂/∂b = 1", 1, r.scalar("b"), EXACT);
        }
        for (Object[] p : points(11, r -> neuronPoint(r, -1))) {
            Grad.Result r = g.grad(p);
            assertEquals(0, r.value());
            assertClose("inactive: ∂/∂w = 0", new double[5], r.vector("w"), 0);
            assertClose("inactive: ∂/∂b = 0", 0, r.scalar("b"), 0);
        }
        checkFd(g, r -> neuronPoint(r, r.bool() ? 1 : -1));
    }

    static final String LOSS = """
            package paper;

            import dev.adjoint.Differentiable;

            class NeuronLoss {
                /** C(w, b, X, y) = 1/N Σ (yᵢ − max(0, w·xᵢ + b))². */
                @Differentiable(wrt = {"w", "b"})
                static double loss(double[] w, double b, double[][] X, double[] y) {
                    int n = X.length;
                    double cost = 0;
                    for (int i = 0; i < n; i++) {
                        double z = b;
                        for (int j = 0; j < w.length; j++) {
                            z += w[j] * X[i][j];
                        }
                        double activation = Math.max(0, z);
                        double v = y[i] - activation;
                        cost += v * v;
                    }
                    return cost / n;
                }
            }
            """;

    /** A point where no sample sits within 0.05 of the kink, with some samples active and some not. */
    static Object[] lossPoint(RandomPoints r) {
        int n = 8;
        int d = 3;
        while (true) {
            double[] w = r.vector(d, -1, 1);
            double b = r.uniform(-0.5, 0.5);
            double[][] xs = r.matrix(n, d, -2, 2);
            double[] y = r.vector(n, -1, 2);
            boolean ok = true;
            int active = 0;
            for (double[] x : xs) {
                double z = b;
                for (int j = 0; j < d; j++) {
                    z += w[j] * x[j];
                }
                ok &= Math.abs(z) > 0.05;
                active += z > 0 ? 1 : 0;
            }
            if (ok && active > 0 && active < n) {
                return new Object[] {w, b, xs, y};
            }
        }
    }

    @Test
    void neuronLossMatchesThePapersClosedForm() {
        // "∂C/∂w = 2/N Σ eᵢxᵢᵀ, ∂C/∂b = 2/N Σ eᵢ (for the nonzero activation case)", eᵢ = w·xᵢ + b − yᵢ
        Grad g = grad(LOSS, "loss");
        assertEquals(List.of("w", "b"), g.differentiated());
        for (Object[] p : points(12, PaperExamplesTest::lossPoint)) {
            double[] w = (double[]) p[0];
            double b = (Double) p[1];
            double[][] xs = (double[][]) p[2];
            double[] y = (double[]) p[3];
            int n = xs.length;
            double[] dw = new double[w.length];
            double db = 0;
            double cost = 0;
            for (int i = 0; i < n; i++) {
                double z = b;
                for (int j = 0; j < w.length; j++) {
                    z += w[j] * xs[i][j];
                }
                double a = z > 0 ? z : 0;
                cost += (y[i] - a) * (y[i] - a);
                if (z > 0) {   // the active units; the others contribute 0
                    double e = z - y[i];
                    for (int j = 0; j < w.length; j++) {
                        dw[j] += 2.0 / n * e * xs[i][j];
                    }
                    db += 2.0 / n * e;
                }
            }
            Grad.Result r = g.grad(p);
            assertClose("C", cost / n, r.value(), EXACT);
            assertClose("∂C/∂w = 2/N Σ eᵢxᵢᵀ", dw, r.vector("w"), EXACT);
            assertClose("∂C/∂b = 2/N Σ eᵢ", db, r.scalar("b"), EXACT);
        }
        checkFd(g, PaperExamplesTest::lossPoint);
    }
}
