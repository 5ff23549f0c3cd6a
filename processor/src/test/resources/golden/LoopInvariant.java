package golden;

import dev.adjoint.Differentiable;

// A discounted sum, Σ_j exp(-r·t)·cash[j] + Σ_j sin(w[0])·x[j]·x[j]: the calls whose arguments the loops do not change
// are computed once, before their loop, into a local (expOfR, sinOfW) guarded by the loop's test, so the forward
// sweep calls exp and sin once and the reverse sweep applies their rules once, to the adjoint summed over the trips.
// sin(w[0]) reads an element, hoisted because the loop writes none; log(x[j]) changes every trip and stays.
class LoopInvariant {
    @Differentiable(wrt = {"r", "t", "w"})
    static double f(double r, double t, double[] w, double[] cash, double[] x) {
        double value = 0;
        for (int j = 0; j < cash.length; j++) {
            value += Math.exp(-r * t) * cash[j];
        }
        for (int j = 0; j < x.length; j++) {
            value += Math.sin(w[0]) * x[j] * x[j] + Math.log(x[j] * x[j] + 1);
        }
        return value;
    }
}
