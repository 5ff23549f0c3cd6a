package golden;

import dev.adjoint.Differentiable;

// One Monte Carlo path of geometric Brownian motion, Euler steps s += r s dt + sigma_j s dW: the step's Brownian
// increment dW = sqrtDt * z[j] is cheap and computed from what never changes (a top-level local assigned once, a
// parameter whose elements the method never writes, the loop's index), so the reverse sweep computes it again when
// it enters the step ("cheap recompute"), and the forward sweep saves only the state s the step overwrites.
class CheapRecompute {
    @Differentiable(wrt = {"s0", "r", "sigma"})
    static double f(double s0, double r, double[] sigma, double[] z, double maturity) {
        int steps = sigma.length;
        double dt = maturity / steps;
        double sqrtDt = Math.sqrt(dt);
        double s = s0;
        for (int j = 0; j < steps; j++) {
            double dW = sqrtDt * z[j];
            s += r * s * dt + sigma[j] * s * dW;
        }
        return s;
    }
}
