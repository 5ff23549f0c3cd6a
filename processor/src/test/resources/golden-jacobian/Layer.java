package golden;

import dev.adjoint.Differentiable;

// A tanh layer with fewer outputs than inputs, so its Jacobian takes the reverse vector sweep: one forward sweep
// (one tape), then every adjoint a double[m] (or an array with a last dimension of m), seeded with the m unit
// vectors at once. Shown: each scalar adjoint's array allocated once at the top of the reverse sweep; the partials
// and indices of one source statement computed once, then one loop over the directions; nothing rerun per output.
class Layer {
    @Differentiable(wrt = {"W", "b"})
    static double[] layer(double[][] W, double[] b, double[] x) {
        double[] h = new double[W.length];
        for (int i = 0; i < W.length; i++) {
            double z = b[i];
            for (int j = 0; j < x.length; j++) {
                z += W[i][j] * x[j];
            }
            h[i] = Math.tanh(z);
        }
        return h;
    }
}
