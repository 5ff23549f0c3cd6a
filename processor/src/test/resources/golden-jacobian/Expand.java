package golden;

import dev.adjoint.Differentiable;

// More outputs than inputs, so the Jacobian takes the forward vector sweep: every tangent carries one value per
// input direction. Shown: the scalars' tangent arrays allocated once at the top (not per iteration); each
// statement's partials (cos, the exponential) computed once, then one loop over the directions.
class Expand {
    @Differentiable
    static double[] expand(double a, double b, int n) {
        double[] y = new double[n];
        double s = a;
        for (int i = 0; i < n; i++) {
            double u = Math.sin(s * b + i);
            s = s + 0.5 * u;
            y[i] = Math.exp(-u) * s;
        }
        return y;
    }
}
