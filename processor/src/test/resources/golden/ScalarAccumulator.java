package golden;

import dev.adjoint.Differentiable;

// The product of GMM's strict lower triangle with the centred point, Σ_row (Σ_col<row l·(x - mu)[col])²: the
// reverse of the loop over row adds into centeredBar[col] at the same col in every trip, beside lBar[at], which
// the JIT cannot prove is another array. The optimise stage keeps that element in a local (centeredBarCol) for the
// loop, read once before it and stored once after it, under the loop's own test (an empty loop touches nothing);
// qxBar[row], whose index moves, stays in memory. ScalarAccumulatorsTest checks the numbers.
class ScalarAccumulator {
    @Differentiable(wrt = {"l", "mu"})
    static double f(double[] l, double[] x, double[] mu) {
        int d = x.length;
        double[] centered = new double[d];
        for (int j = 0; j < d; j++) {
            centered[j] = x[j] - mu[j];
        }
        double[] qx = new double[d];
        int at = 0;
        for (int col = 0; col < d; col++) {
            for (int row = col + 1; row < d; row++) {
                qx[row] += l[at] * centered[col];
                at++;
            }
        }
        double sq = 0;
        for (int j = 0; j < d; j++) {
            sq += qx[j] * qx[j];
        }
        return -0.5 * sq;
    }
}
