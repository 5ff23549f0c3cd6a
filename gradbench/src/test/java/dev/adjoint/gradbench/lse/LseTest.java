package dev.adjoint.gradbench.lse;

import static dev.adjoint.gradbench.Differences.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.gradbench.Differences;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LseTest {

    static double[] softmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : x) {
            sum += Math.exp(v - max);
        }
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = Math.exp(x[i] - max) / sum;
        }
        return p;
    }

    @Test
    void gradientIsTheSoftmaxAndCentralDifferences() {
        Random rnd = new Random(5);
        for (int n : new int[] {1, 2, 7, 100}) {
            double[] x = rnd.doubles(n, -3, 3).toArray();
            LseGrad.PrimalGradient g = LseGrad.primal(x);
            assertEquals(Lse.primal(x), g.value(), 0);
            assertClose(softmax(x), g.x(), 1e-12, "softmax, n=" + n);
            assertClose(Differences.gradient(Lse::primal, x), g.x(), 1e-7, "differences, n=" + n);
        }
    }

    @Test
    void largeValuesAndTiedMaximaStillGiveTheSoftmax() {
        // exp(1000) overflows: the max shift is what keeps the value and gradient finite
        double[] big = {1000, 999, 998.5};
        assertClose(softmax(big), LseGrad.primal(big).x(), 1e-12, "large");
        // the maximum's derivative is taken at one of two tied elements; the max cancels out of the gradient
        double[] tied = {2, 0.5, 2, -1};
        assertClose(softmax(tied), LseGrad.primal(tied).x(), 1e-12, "tied");
    }
}
