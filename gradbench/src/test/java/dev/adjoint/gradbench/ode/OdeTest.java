package dev.adjoint.gradbench.ode;

import static dev.adjoint.gradbench.Differences.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.gradbench.Differences;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * GradBench's own check of ode's gradient is vacuous (the last component is identically 0 on every workload, so
 * every reference gradient is 0.0): these tests check it where it is not.
 *
 * <p>The independent formula: the system scales, y′ᵢ = xᵢ·yᵢ₋₁ with yᵢ = (x₀⋯xᵢ)·wᵢ gives w′₀ = 1, w′ᵢ = wᵢ₋₁
 * whatever x is, and each RK4 stage is linear in y and commutes with that scaling. So yᵢ(2) = (x₀⋯xᵢ)·cᵢ with cᵢ the
 * result for x = 1, and ∂yᵢ/∂xₖ = yᵢ/xₖ for k ≤ i, 0 for k > i.
 */
class OdeTest {

    @Test
    void gradientOfTheLastComponentIsYOverXWhereItIsNotZero() {
        Random rnd = new Random(11);
        for (int s : new int[] {1, 2, 3}) {
            // n ≤ 4s: the last component is non-zero after s steps
            for (int n = 1; n <= 4 * s; n++) {
                double[] x = rnd.doubles(n, 0.5, 1.5).toArray();
                double[] y = Ode.primal(x, s);
                double last = y[n - 1];
                assertTrue(last != 0, "y[n-1] is not zero for n <= 4s");
                double[] expected = new double[n];
                for (int k = 0; k < n; k++) {
                    expected[k] = last / x[k];
                }
                double[] seed = new double[n];
                seed[n - 1] = 1;
                double[] g = OdeGrad.primalVjp(x, s, seed).x();
                assertClose(expected, g, 1e-12, "y/x, s=" + s + " n=" + n);
                assertClose(Differences.gradient(v -> Ode.primal(v, s)[v.length - 1], x), g, 1e-7,
                        "differences, s=" + s + " n=" + n);
            }
        }
    }

    @Test
    void theFullJacobianIsLowerTriangularYOverX() {
        double[] x = new Random(3).doubles(6, -1.5, 1.5).toArray();
        OdeGrad.PrimalJacobian j = OdeGrad.primalJacobian(x, 2);
        double[] y = Ode.primal(x, 2);
        for (int i = 0; i < 6; i++) {
            for (int k = 0; k < 6; k++) {
                assertEquals(k <= i ? y[i] / x[k] : 0.0, j.x()[i][k], 1e-12 * Math.max(1, Math.abs(y[i] / x[k])),
                        "J[" + i + "][" + k + "]");
            }
        }
    }

    @Test
    void pastFourSComponentsTheLastIsZeroAndSoIsItsGradientAsGradBenchsReferenceSays() {
        double[] x = new Random(9).doubles(12, -1, 1).toArray();
        double[] seed = new double[12];
        seed[11] = 1;
        assertEquals(0.0, Ode.primal(x, 2)[11]);
        for (double g : OdeGrad.primalVjp(x, 2, seed).x()) {
            assertEquals(0.0, g);
        }
    }
}
