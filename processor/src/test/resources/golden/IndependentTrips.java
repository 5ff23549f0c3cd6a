package golden;

import dev.adjoint.Differentiable;

// The sum-reduction pattern of the paper's loss functions, with a scratch array per sample (ADBench GMM's point
// loop in small): the trips of the sample loop share only the accumulator `total` and the array `z`, which every trip
// writes before it reads. So each trip is reversed as soon as it ends, with d(result)/d(total) = 1/n computed before
// the loop; no old element of z is saved (no later trip's reverse needs it), and the tape holds only the trip's own
// exp values (stored, not computed again) between the trip and its reverse. The recurrence below it
// (`s = s * 0.5 + sin(w[j])`) is reversed after the forward sweep, as usual.
class IndependentTrips {
    @Differentiable(wrt = "w")
    static double f(double[] w, double[][] x) {
        int n = x.length;
        double[] z = new double[w.length];
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < w.length; j++) {
                z[j] = Math.exp(w[j] * x[i][j]);
            }
            double s = 0;
            for (int j = 0; j < w.length; j++) {
                s += z[j];
            }
            total += Math.log(s);
        }
        double s = 1;
        for (int j = 0; j < w.length; j++) {
            s = s * 0.5 + Math.sin(w[j]);
        }
        return total / n + s;
    }
}
