package dev.adjoint.benchmarks.montecarlo;

import java.util.Arrays;

/**
 * The Asian call's price and its pathwise adjoint written by hand, as an expert would (Giles and Glasserman's
 * "smoking adjoints"): the price is a mean over the paths, so each path's adjoint is taken right after the path,
 * in one pass over the paths, and added straight into the result. A path's reverse loop needs the path's states,
 * which the forward loop keeps in a buffer of M in the result, beside σ_j √Δt made once per call; nothing else
 * is kept, and a warm call allocates nothing.
 *
 * <p>Each step is written as S_{j+1} = S_j g_j with g_j = 1 + r Δt + σ_j √Δt z_j (the primal's Euler step,
 * factored). Given the path's Ā = e^{−rT} / P · sigmoid((A − K) / w), the partial of its discounted payoff by
 * its average A, each S_{j+1} gets Ā / M; walking back, S̄_{j+1} collects that, the step's product adjoint is
 * ḡ_j = S̄_{j+1} S_j, which goes into ∂/∂σ_j (ḡ_j √Δt z_j) and ∂/∂r (ḡ_j Δt), and S̄_j = S̄_{j+1} g_j; S̄_0 goes
 * into ∂/∂S0. The discount adds −T V to ∂/∂r. The softplus and its sigmoid share one exp per path.
 */
public final class HandMonteCarlo {
    private HandMonteCarlo() {}

    /** A gradient result, with the working arrays of one shape (M steps). */
    public static final class Result {
        /** The price V. */
        public double value;
        /** ∂V/∂S0, the delta. */
        public double s0;
        /** ∂V/∂r, the rho. */
        public double r;
        /** ∂V/∂σ_j, the vega buckets. */
        public final double[] sigma;

        /** The current path's states S_0 ... S_{M−1}. */
        private final double[] path;
        /** σ_j √Δt, once per call. */
        private final double[] vol;

        /**
         * A result for M steps.
         *
         * @param steps M
         */
        public Result(int steps) {
            sigma = new double[steps];
            path = new double[steps];
            vol = new double[steps];
        }

        /**
         * Returns the gradient in the flat layout ({@link MonteCarloData#flat}).
         *
         * @return a new array of all partials
         */
        public double[] flat() {
            return MonteCarloData.flat(s0, r, sigma);
        }
    }

    /**
     * Computes {@link MonteCarlo#price} and its gradient with respect to s0, r and sigma into {@code out}.
     *
     * @param s0 the asset's price today
     * @param r the risk-free rate
     * @param sigma the volatility of each of the M steps
     * @param strike K
     * @param maturity T
     * @param width the payoff's smoothing width
     * @param z P rows of M standard normal draws
     * @param out a result made for M steps, overwritten
     * @return {@code out}
     * @throws IllegalArgumentException if {@code out} was made for another number of steps
     */
    public static Result price(double s0, double r, double[] sigma, double strike, double maturity, double width,
            double[][] z, Result out) {
        int steps = sigma.length;
        if (out.sigma.length != steps) {
            throw new IllegalArgumentException("the result is for " + out.sigma.length + " steps, not " + steps);
        }
        double[] path = out.path;
        double[] vol = out.vol;
        double[] sigmaBar = out.sigma;
        Arrays.fill(sigmaBar, 0);
        double dt = maturity / steps;
        double sqrtDt = Math.sqrt(dt);
        for (int j = 0; j < steps; j++) {
            vol[j] = sigma[j] * sqrtDt;
        }
        double growth = 1 + r * dt;
        double inverseWidth = 1 / width;
        double discount = Math.exp(-r * maturity);
        // e^{−rT} / (P M): what each S_{j+1} gets from its path's average, before the path's slope
        double stateBar = discount / z.length / steps;

        double total = 0;
        double s0Bar = 0;
        double growthBar = 0;
        for (int p = 0; p < z.length; p++) {
            double[] zp = z[p];
            // forward: the path, keeping its states
            double s = s0;
            double sum = 0;
            for (int j = 0; j < steps; j++) {
                path[j] = s;
                s *= growth + vol[j] * zp[j];
                sum += s;
            }
            // the smoothed payoff and its slope, from one exp
            double x = (sum / steps - strike) * inverseWidth;
            double slope;
            if (x > 0) {
                double e = Math.exp(-x);
                total += width * (x + Math.log1p(e));
                slope = 1 / (1 + e);
            } else {
                double e = Math.exp(x);
                total += width * Math.log1p(e);
                slope = e / (1 + e);
            }
            // reverse: back along the path
            double a = slope * stateBar;
            double sBar = 0;
            for (int j = steps - 1; j >= 0; j--) {
                sBar += a;
                double gBar = sBar * path[j];
                sigmaBar[j] += gBar * zp[j];
                growthBar += gBar;
                sBar *= growth + vol[j] * zp[j];
            }
            s0Bar += sBar;
        }
        double value = discount * total / z.length;
        for (int j = 0; j < steps; j++) {
            sigmaBar[j] *= sqrtDt;
        }
        out.value = value;
        out.s0 = s0Bar;
        out.r = growthBar * dt - maturity * value;
        return out;
    }
}
