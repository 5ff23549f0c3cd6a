package golden;

import dev.adjoint.Differentiable;

// ADBench GMM's inner kernel, ||Q (x - mu)||^2 with Q lower triangular, diagonal exp(q) and the strict lower part
// from l: what the optimisations of the reverse sweep leave of it. exp(q[j]) is stored by the forward sweep, not
// computed again; the counter `at` is stepped back by its inverse (at = at - 1), not saved every step; qx[row] +=
// ... passes qxBar[row] on unchanged, with no temporary, zeroing and adding back; qx and qxBar are the result's
// arrays, zeroed, not new ones; and no old element of qx is saved, since the reverse sweep reads qx only after the
// last write (AllocationTest and the ADBench tests check the numbers).
class TriangularQuadratic {
    @Differentiable(wrt = {"q", "l"})
    static double f(double[] q, double[] l, double[] x, double[] mu) {
        int d = x.length;
        double[] qx = new double[d];
        for (int j = 0; j < d; j++) {
            qx[j] = Math.exp(q[j]) * (x[j] - mu[j]);
        }
        int at = 0;
        for (int col = 0; col < d; col++) {
            for (int row = col + 1; row < d; row++) {
                qx[row] += l[at] * (x[col] - mu[col]);
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
