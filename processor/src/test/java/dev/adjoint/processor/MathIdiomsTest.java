package dev.adjoint.processor;

import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.RandomPoints;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Math as numeric code uses it: {@code Math.fma} (differentiated: partials b, a, 1; its value Math.fma's own, bit for
 * bit), {@code Math.floorMod} and {@code floorDiv} on ints and longs (integer-valued: indexes into active arrays),
 * and {@code Math.exp} and friends on array elements inside helpers (differentiated through where they are called).
 * Each against finite differences and forward against reverse mode, and a closed form.
 */
class MathIdiomsTest {
    private static final String SOURCE = """
            package idioms;

            import dev.adjoint.Differentiable;

            class Idioms {
                /** Horner's rule with fused multiply-adds, as numeric libraries write it. */
                @Differentiable
                static double horner(double[] c, double x) {
                    double s = c[c.length - 1];
                    for (int i = c.length - 2; i >= 0; i--) {
                        s = Math.fma(s, x, c[i]);
                    }
                    return s;
                }

                /** fma with int and long arguments beside a double one, and StrictMath's. */
                @Differentiable
                static double mixed(double x, double y, int k, long n) {
                    return Math.fma(x, k, n) + StrictMath.fma(x, y, 1) * Math.fma(2, y, x * x);
                }

                /** A circular stencil: floorMod wraps an int index (negative too), floorDiv picks a block. */
                @Differentiable
                static double circular(double[] v, int shift) {
                    int n = v.length;
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        int left = Math.floorMod(i - 1 - shift, n);
                        int right = Math.floorMod(i + 1 + shift, n);
                        int block = Math.floorDiv(i - shift, 2);
                        s += (v[left] - 2 * v[i] + v[right]) * v[i] * (1 + Math.floorMod(block, 3));
                    }
                    return s;
                }

                /** The long forms, mixed with int: floorMod(long, int) is an int. */
                @Differentiable
                static double longIndexes(double[] v, long t) {
                    int k = Math.floorMod(t, v.length);
                    long q = Math.floorDiv(t, (long) v.length);
                    return v[k] * v[k] * (q % 2 == 0 ? 1 : -1) + v[(int) Math.floorMod(q, (long) v.length)];
                }

                /** Math functions on array elements in helpers, inlined where they are called. */
                static double logSumExp(double[] z) {
                    double max = z[0];
                    for (double v : z) {
                        max = Math.max(max, v);
                    }
                    double sum = 0;
                    for (int i = 0; i < z.length; i++) {
                        sum += Math.exp(z[i] - max);
                    }
                    return max + Math.log(sum);
                }

                static double softplus(double[] z, int i) {
                    return Math.log1p(Math.exp(z[i])) + Math.sqrt(1 + z[i] * z[i]) * Math.tanh(z[i]);
                }

                @Differentiable
                static double helpers(double[] z) {
                    double s = logSumExp(z);
                    for (int i = 0; i < z.length; i++) {
                        s += softplus(z, i) * Math.expm1(z[i] / 4);
                    }
                    return s;
                }
            }
            """;

    private static final Compilation COMPILED = Javac.adjoint().strict().compile(SOURCE).assertSucceeded();

    private static Grad grad(String method) {
        return Grad.of(COMPILED, "idioms.Idioms", method);
    }

    private static void check(String method, long seed, Function<RandomPoints, Object[]> generator) {
        GradientCheck.of(grad(method)).valueTolerance(0).atAll(RandomPoints.points(seed, 12, generator))
                .assertPassed(12, 0.2);
    }

    @Test
    void fmaIsDifferentiatedAndItsValueIsMathFmas() {
        check("horner", 1, p -> new Object[] {p.vector(5, -1, 1), p.uniform(-1.5, 1.5)});
        // p(x) = 1 + 2x + 3x², p'(x) = 2 + 6x; ∂p/∂c = (1, x, x²)
        double x = 0.3;
        Grad.Result r = grad("horner").grad(new double[] {1, 2, 3}, x);
        assertEquals(Math.fma(Math.fma(3, x, 2), x, 1), r.value(), 0, "the value is Math.fma's, rounded once");
        assertClose("∂/∂x", 2 + 6 * x, r.scalar("x"), 1e-15);
        assertClose("∂/∂c", new double[] {1, x, x * x}, r.vector("c"), 1e-16);
        // rounded once: the value differs from a * b + c where that rounds twice
        double a = 0.1;
        double b = 10;
        double c = -1;
        assertTrue(Math.fma(a, b, c) != a * b + c);
        assertEquals(Math.fma(a, b, c), grad("horner").grad(new double[] {c, a}, b).value(), 0);
    }

    @Test
    void fmaWithIntAndLongArgumentsAndStrictMath() {
        check("mixed", 2, p -> new Object[] {p.uniform(-2, 2), p.uniform(-2, 2), p.integer(-3, 3),
            (long) p.integer(-5, 5)});
        // f = kx + n + (xy + 1)(2y + x²)
        double x = 0.5;
        double y = -1.5;
        Grad.Result r = grad("mixed").grad(x, y, 3, 7L);
        assertClose("∂/∂x", 3 + y * (2 * y + x * x) + (x * y + 1) * 2 * x, r.scalar("x"), 1e-15);
        assertClose("∂/∂y", x * (2 * y + x * x) + (x * y + 1) * 2, r.scalar("y"), 1e-15);
    }

    @Test
    void floorModAndFloorDivOnIntsIndexActiveArrays() {
        check("circular", 3, p -> new Object[] {p.vector(6, -1, 1), p.integer(-7, 7)});
        Grad.Result r = grad("circular").grad(new double[] {1, 0, 0, 0}, 0);
        // with shift 0: s = Σ_i (v[i-1] - 2 v[i] + v[i+1]) v[i] w_i, w_i = 1 + floorMod(floorDiv(i, 2), 3) = 1, 1, 2, 2
        // at v = e0: ∂s/∂v0 = -4 w0 v0 = -4, ∂s/∂v1 = w0 v0 + w1 v0 = 2, ∂s/∂v3 = w0 v0 + w3 v0 = 3
        assertClose("∂/∂v", new double[] {-4, 2, 0, 3}, r.vector("v"), 0);
    }

    @Test
    void floorModAndFloorDivOnLongs() {
        check("longIndexes", 4, p -> new Object[] {p.vector(5, -1, 1), p.longInteger(-40, 40)});
        // t = -3, length 5: k = 2, q = -1 (odd), floorMod(q, 5) = 4: f = -v2² + v4
        Grad.Result r = grad("longIndexes").grad(new double[] {0, 0, 0.5, 0, 0}, -3L);
        assertClose("∂/∂v", new double[] {0, 0, -1, 0, 1}, r.vector("v"), 0);
    }

    @Test
    void mathFunctionsOnArrayElementsInsideHelpers() {
        check("helpers", 5, p -> new Object[] {p.vector(4, -2, 2)});
        // the log-sum-exp part alone: its gradient is the softmax
        double[] z = {0.5, -1, 2};
        double[] expected = new double[3];
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v);
        }
        for (int i = 0; i < 3; i++) {
            double zi = z[i];
            double sp = Math.log1p(Math.exp(zi)) + Math.sqrt(1 + zi * zi) * Math.tanh(zi);
            double dsp = Math.exp(zi) / (1 + Math.exp(zi)) + zi / Math.sqrt(1 + zi * zi) * Math.tanh(zi)
                    + Math.sqrt(1 + zi * zi) * (1 - Math.tanh(zi) * Math.tanh(zi));
            expected[i] = Math.exp(zi) / sum + dsp * Math.expm1(zi / 4) + sp * Math.exp(zi / 4) / 4;
        }
        assertClose("∂/∂z", expected, grad("helpers").grad((Object) z).vector("z"), 1e-14);
    }
}
