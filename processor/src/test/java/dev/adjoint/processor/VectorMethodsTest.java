package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.JacobianCheck;
import dev.adjoint.testing.RandomPoints;
import org.junit.jupiter.api.Test;

/**
 * Methods returning {@code double[]} as people write them: a 3-layer network, matrix parameters, loops and branches
 * that fill the result, a result that is a parameter's own array. Each checked by {@link JacobianCheck} (finite
 * differences column by column, forward against reverse mode); both ways of building the Jacobian (reverse sweeps
 * when outputs are fewer, forward sweeps when inputs are) are exercised.
 */
class VectorMethodsTest {
    private static final String SOURCE = """
            package vec;

            import dev.adjoint.Differentiable;

            class Models {
                /** A 3-layer network's output against its input x: tanh, ReLU, then a linear layer. */
                @Differentiable(wrt = "x")
                static double[] net(double[] x, double[][] w1, double[][] w2, double[][] w3) {
                    double[] h1 = new double[w1.length];
                    for (int i = 0; i < w1.length; i++) {
                        double s = 0;
                        for (int j = 0; j < x.length; j++) {
                            s += w1[i][j] * x[j];
                        }
                        h1[i] = Math.tanh(s);
                    }
                    double[] h2 = new double[w2.length];
                    for (int i = 0; i < w2.length; i++) {
                        double s = 0;
                        for (int j = 0; j < h1.length; j++) {
                            s += w2[i][j] * h1[j];
                        }
                        h2[i] = Math.max(0, s + 0.1);
                    }
                    double[] out = new double[w3.length];
                    for (int i = 0; i < w3.length; i++) {
                        for (int j = 0; j < h2.length; j++) {
                            out[i] += w3[i][j] * h2[j];
                        }
                    }
                    return out;
                }

                /** A matrix-vector product, differentiated with respect to both: blocks double[m][r][c] and [m][n]. */
                @Differentiable
                static double[] matVec(double[][] a, double[] v) {
                    double[] y = new double[a.length];
                    for (int i = 0; i < a.length; i++) {
                        for (int j = 0; j < v.length; j++) {
                            y[i] += a[i][j] * v[j];
                        }
                    }
                    return y;
                }

                /** More outputs than inputs: built by forward sweeps. */
                @Differentiable
                static double[] features(double[] x, double s) {
                    double[] f = new double[3 * x.length];
                    for (int i = 0; i < x.length; i++) {
                        f[3 * i] = x[i] * s;
                        f[3 * i + 1] = x[i] > 0 ? Math.sqrt(x[i] + s * s) : Math.exp(x[i]);
                        f[3 * i + 2] = Math.sin(x[i] * x[(i + 1) % x.length]);
                    }
                    return f;
                }

                /** A matrix parameter with more outputs than components. */
                @Differentiable
                static double[] quadratic(double[][] a) {
                    double[] r = new double[8];
                    int k = 0;
                    while (k < 8) {
                        r[k] = a[k % 2][(k / 2) % 2] * a[(k + 1) % 2][0] + k;
                        k++;
                    }
                    return r;
                }

                /** Returns one of its parameters' own arrays. */
                @Differentiable(wrt = {"a", "b"})
                static double[] choose(double[] a, double[] b, double s) {
                    return s > 0 ? a : b;
                }

                static int sweeps;

                /** Counts the runs of the original computation. */
                static int tick(int k) {
                    sweeps++;
                    return k;
                }

                /** Six outputs of two inputs, counting how often it runs. */
                @Differentiable
                static double[] counted(double[] x) {
                    int unused = tick(0);
                    double[] r = new double[6];
                    for (int i = 0; i < 6; i++) {
                        r[i] = Math.sin(x[i % 2] * (i + 1)) + unused;
                    }
                    return r;
                }

                /** Two outputs of six inputs, counting how often it runs. */
                @Differentiable
                static double[] countedWide(double[] x) {
                    int unused = tick(0);
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        s += x[i] * x[i];
                    }
                    return new double[] {s + unused, Math.exp(x[0])};
                }

                /** Early returns of different arrays. */
                @Differentiable
                static double[] pick(double x, double y) {
                    if (x > y) {
                        return new double[] {x * y, x};
                    }
                    double[] r = {y, y * y};
                    if (x < -1) {
                        r[0] = r[0] * x;
                        return r;
                    }
                    return new double[] {x + y, Math.cos(x)};
                }
            }
            """;

    private static final Compilation COMPILED = GradientTesting.compile(SOURCE);

    private static JacobianCheck check(String method, String... wrt) {
        return JacobianCheck.of(COMPILED, "vec.Models", method, wrt);
    }

    @Test
    void threeLayerNetworkAgainstItsInputs() {
        JacobianCheck c = check("net", "x");
        RandomPoints.points(21, 5, r -> new Object[] {r.vector(4, -1, 1), r.matrix(5, 4, -1, 1), r.matrix(3, 5, -1, 1),
            r.matrix(2, 3, -1, 1)}).forEach(c::at);
        c.assertPassed();
        assertTrue(c.compared() >= 5 * 2 * 4 * 4 / 5, "compared " + c.compared());
    }

    @Test
    void matrixParameterBlocks() {
        JacobianCheck c = check("matVec", "a", "v");
        RandomPoints.points(22, 4, r -> new Object[] {r.matrix(2, 3, -2, 2), r.vector(3, -2, 2)}).forEach(c::at);
        c.assertPassed();
        double[][][] ja = (double[][][]) c.jacobian(new double[][] {{1, 2, 3}, {4, 5, 6}}, new double[] {7, 8, 9})
                .get("a");
        assertEquals(8.0, ja[0][0][1], "d y0 / d a01 = v1");
        assertEquals(0.0, ja[1][0][1], "d y1 / d a01 = 0");
    }

    @Test
    void moreOutputsThanInputsByForwardSweeps() {
        JacobianCheck c = check("features", "x", "s");
        RandomPoints.points(23, 6, r -> new Object[] {r.vector(3, -1.5, 1.5), r.uniform(0.5, 2)}).forEach(c::at);
        c.assertPassed();
        JacobianCheck q = check("quadratic", "a");
        RandomPoints.points(24, 4, r -> new Object[] {r.matrix(2, 2, -2, 2)}).forEach(q::at);
        q.assertPassed();
    }

    @Test
    void resultThatIsAParametersArray() {
        JacobianCheck c = check("choose", "a", "b");
        RandomPoints.points(25, 4, r -> new Object[] {r.vector(3, -2, 2), r.vector(3, -2, 2), r.uniform(-2, 2)})
                .forEach(c::at);
        c.assertPassed();
        double[] a = {1, 2, 3};
        JacobianCheck.Result j = c.jacobian(a, new double[] {4, 5, 6}, 1.0);
        assertEquals(1.0, ((double[][]) j.get("a"))[2][2]);
        assertEquals(0.0, ((double[][]) j.get("b"))[2][2]);
        j.value()[0] = 99;
        assertEquals(1.0, a[0], "value() is a copy, not the argument's array");
    }

    @Test
    void earlyReturnsOfDifferentArrays() {
        JacobianCheck c = check("pick", "x", "y");
        RandomPoints.points(26, 10, r -> new Object[] {r.uniform(-3, 3), r.uniform(-3, 3)}).forEach(c::at);
        c.assertPassed();
    }

    /**
     * The Jacobian's cost in runs of the method: with more outputs than inputs, one run for the value and one
     * forward sweep carrying every direction at once (vector mode), however many inputs; with fewer outputs, one run
     * and one forward sweep whose reverse sweep carries every output's seed at once (reverse vector mode), however
     * many outputs.
     */
    @Test
    void jacobianRunsTheMethodOncePerSweep() throws ReflectiveOperationException {
        Class<?> models = COMPILED.loadClass("vec.Models");
        java.lang.reflect.Field sweeps = models.getDeclaredField("sweeps");
        sweeps.setAccessible(true);
        JacobianCheck tall = check("counted", "x");
        sweeps.setInt(null, 0);
        tall.jacobian(new double[] {0.3, -0.7});
        assertEquals(2, sweeps.getInt(null), "6 outputs of 2 inputs: the value, then one vector-mode sweep");
        JacobianCheck wide = check("countedWide", "x");
        sweeps.setInt(null, 0);
        wide.jacobian(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6});
        assertEquals(2, sweeps.getInt(null), "2 outputs of 6 inputs: the value, then one forward sweep for a "
                + "reverse sweep carrying both seeds");
        RandomPoints.points(27, 3, r -> new Object[] {r.vector(2, -1, 1)}).forEach(tall::at);
        tall.assertPassed();
        RandomPoints.points(28, 3, r -> new Object[] {r.vector(6, -1, 1)}).forEach(wide::at);
        wide.assertPassed();
    }

    @Test
    void aSeedOfAnotherLengthIsRejected() {
        JacobianCheck c = check("matVec", "a", "v");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.vjp(new Object[] {new double[][] {{1, 2}}, new double[] {3, 4}}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("seed has length 2"), e.getMessage());
    }
}
