package dev.adjoint.processor;

import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.Vectors;
import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.JacobianCheck;
import dev.adjoint.testing.RandomPoints;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The paper's vector operations ({@link Vectors}): a method written with them and the same method written as loops
 * have the same value and the same derivatives, bit for bit; their derivatives are the paper's vector rules; and
 * the generated code is the O(n) loops, with no Jacobian built.
 */
class VectorOperationsTest {
    private static final String SOURCE = """
            package ops;

            import dev.adjoint.Differentiable;
            import dev.adjoint.Vectors;

            class Layer {
                /** A ReLU layer and a squared-error loss, written with the vector operations. */
                @Differentiable(wrt = {"w", "b"})
                static double withOperations(double[][] w, double[] b, double[] x, double[] y) {
                    double[] h = Vectors.relu(Vectors.add(Vectors.matVec(w, x), b));
                    double[] e = Vectors.subtract(h, y);
                    return Vectors.dot(e, e) / e.length + 0.1 * Vectors.sum(Vectors.multiply(b, b));
                }

                /** The same, written as loops. */
                @Differentiable(wrt = {"w", "b"})
                static double withLoops(double[][] w, double[] b, double[] x, double[] y) {
                    double[] h = new double[w.length];
                    for (int i = 0; i < w.length; i++) {
                        double s = 0.0;
                        for (int j = 0; j < x.length; j++) {
                            s = s + w[i][j] * x[j];
                        }
                        h[i] = Math.max(0, s + b[i]);
                    }
                    double dot = 0.0;
                    for (int i = 0; i < h.length; i++) {
                        double e = h[i] - y[i];
                        dot = dot + e * e;
                    }
                    double reg = 0.0;
                    for (int i = 0; i < b.length; i++) {
                        reg = reg + b[i] * b[i];
                    }
                    return dot / h.length + 0.1 * reg;
                }

                @Differentiable
                static double dot(double[] w, double[] x) {
                    return Vectors.dot(w, x);
                }

                @Differentiable
                static double sum(double[] x) {
                    return Vectors.sum(x);
                }

                @Differentiable
                static double[] scaled(double[] x, double z) {
                    return Vectors.addScalar(Vectors.scale(x, z), z);
                }

                @Differentiable
                static double[] quotient(double[] w, double[] x) {
                    return Vectors.divide(w, x);
                }

                @Differentiable
                static double[] rectified(double[] x) {
                    return Vectors.relu(x);
                }
            }
            """;

    private static final Compilation COMPILED = GradientTesting.compile(SOURCE);

    @Test
    void operationsAndLoopsGiveTheSameDerivatives() {
        Grad ops = Grad.of(COMPILED, "ops.Layer", "withOperations");
        Grad loops = Grad.of(COMPILED, "ops.Layer", "withLoops");
        List<Object[]> points = RandomPoints.points(31, 8, r -> new Object[] {r.matrix(3, 4, -1, 1),
            r.vector(3, -0.5, 0.5), r.vector(4, -1, 1), r.vector(3, -1, 1)});
        for (Object[] p : points) {
            Grad.Result a = ops.grad(p);
            Grad.Result b = loops.grad(p);
            assertEquals(b.value(), a.value(), "the value, bit for bit");
            assertArrayEquals((double[]) b.get("b"), (double[]) a.get("b"), "d/db, bit for bit");
            double[][] wa = (double[][]) a.get("w");
            double[][] wb = (double[][]) b.get("w");
            for (int i = 0; i < wa.length; i++) {
                assertArrayEquals(wb[i], wa[i], "d/dw, bit for bit");
            }
        }
        GradientCheck.of(ops).atAll(points).assertPassed();
    }

    /** The paper's rules: d(w·x)/dw = xᵀ and /dx = wᵀ; d sum(x)/dx = 1ᵀ. */
    @Test
    void dotAndSumFollowThePapersRules() {
        Grad dot = Grad.of(COMPILED, "ops.Layer", "dot");
        Grad sum = Grad.of(COMPILED, "ops.Layer", "sum");
        for (Object[] p : RandomPoints.points(32, 5, r -> new Object[] {r.vector(4, -2, 2), r.vector(4, -2, 2)})) {
            Grad.Result d = dot.grad(p);
            assertClose("d(w.x)/dw", (double[]) p[1], d.vector("w"), 0);
            assertClose("d(w.x)/dx", (double[]) p[0], d.vector("x"), 0);
            assertClose("d sum(x)/dx", new double[] {1, 1, 1, 1}, sum.grad(p[0]).vector("x"), 0);
            GradientCheck.of(dot).at(p).assertPassed();
        }
    }

    /** Scalar expansion, element-wise division and max(0, x): the diagonal Jacobians of the paper's table. */
    @Test
    void elementWiseOperationsHaveThePapersJacobians() {
        JacobianCheck scaled = JacobianCheck.of(COMPILED, "ops.Layer", "scaled", "x", "z");
        JacobianCheck quotient = JacobianCheck.of(COMPILED, "ops.Layer", "quotient", "w", "x");
        JacobianCheck rectified = JacobianCheck.of(COMPILED, "ops.Layer", "rectified", "x");
        for (Object[] p : RandomPoints.points(33, 4, r -> new Object[] {r.vector(3, -2, 2), r.vector(3, 0.5, 2)})) {
            double[] w = (double[]) p[0];
            double[] x = (double[]) p[1];
            double z = x[0];
            JacobianCheck.Result s = scaled.jacobian(w, z);
            double[][] ds = (double[][]) s.get("x");
            double[] dz = (double[]) s.get("z");
            JacobianCheck.Result q = quotient.jacobian(w, x);
            double[][] r = (double[][]) rectified.jacobian(w).get("x");
            for (int i = 0; i < 3; i++) {
                assertEquals(w[i] + 1, dz[i], "d(xz + z)/dz = x + 1");
                for (int k = 0; k < 3; k++) {
                    assertEquals(i == k ? z : 0.0, ds[i][k], "d(xz + z)/dx = zI");
                    assertEquals(i == k ? 1 / x[i] : 0.0, ((double[][]) q.get("w"))[i][k], "d(w/x)/dw");
                    assertEquals(i == k ? -w[i] / (x[i] * x[i]) : 0.0, ((double[][]) q.get("x"))[i][k],
                            "d(w/x)/dx");
                    assertEquals(i == k && w[i] > 0 ? 1.0 : 0.0, r[i][k], "d max(0, x)/dx");
                }
            }
            scaled.at(w, z).assertPassed();
            quotient.at(w, x).assertPassed();
        }
    }

    @Test
    void generatedCodeIsTheLoopsWithNoJacobianAndNoCall() {
        String generated = COMPILED.generatedSource("ops.LayerGrad");
        for (String op : List.of("dot", "sum", "add", "subtract", "multiply", "divide", "addScalar", "scale", "relu",
                "matVec")) {
            assertTrue(!generated.contains("Vectors." + op + "("), op + " is lowered to its loop:\n" + generated);
        }
        assertTrue(generated.contains("wx[i] = s;"), generated);
    }

    @Test
    void operandsOfDifferentLengthsAreRejectedAsByTheRuntime() {
        Grad dot = Grad.of(COMPILED, "ops.Layer", "dot");
        IllegalArgumentException generated = assertThrows(IllegalArgumentException.class,
                () -> dot.grad(new double[] {1, 2}, new double[] {1}));
        IllegalArgumentException runtime = assertThrows(IllegalArgumentException.class,
                () -> Vectors.dot(new double[] {1, 2}, new double[] {1}));
        assertEquals(runtime.getMessage(), generated.getMessage());
    }
}
