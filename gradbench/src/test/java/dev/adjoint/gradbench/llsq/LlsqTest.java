package dev.adjoint.gradbench.llsq;

import static dev.adjoint.gradbench.Differences.assertClose;

import dev.adjoint.gradbench.Differences;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LlsqTest {

    /** ∂y/∂xⱼ = −Σᵢ rᵢ tᵢʲ with rᵢ = sᵢ − Σⱼ xⱼ tᵢʲ, written out with Math.pow. */
    static double[] closedForm(double[] x, int n) {
        double[] g = new double[x.length];
        for (int i = 0; i < n; i++) {
            double t = -1 + 2.0 * i / (n - 1);
            double r = Math.signum(t);
            for (int j = 0; j < x.length; j++) {
                r -= x[j] * Math.pow(t, j);
            }
            for (int j = 0; j < x.length; j++) {
                g[j] -= r * Math.pow(t, j);
            }
        }
        return g;
    }

    @Test
    void gradientIsTheClosedFormAndCentralDifferences() {
        Random rnd = new Random(17);
        // n odd puts a sample at t = 0, where the sign is 0
        for (int n : new int[] {2, 16, 33}) {
            for (int m : new int[] {1, 4, 9}) {
                double[] x = rnd.doubles(m, -1, 1).toArray();
                double[] g = LlsqGrad.primal(x, n).x();
                assertClose(closedForm(x, n), g, 1e-10, "closed form, n=" + n + " m=" + m);
                assertClose(Differences.gradient(v -> Llsq.primal(v, n), x), g, 1e-6, "differences, n=" + n);
            }
        }
    }
}
