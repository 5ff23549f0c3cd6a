package dev.adjoint.benchmarks.montecarlo;

import java.util.Random;

/**
 * The arguments of {@link MonteCarlo#price}: the market point at which the gradient is taken, the option, and the
 * seeded standard normal draws of the paths.
 *
 * @param s0 the asset's price today
 * @param r the risk-free rate
 * @param sigma the volatility of each of the M steps
 * @param strike K
 * @param maturity T, in years
 * @param width the payoff's smoothing width
 * @param z the standard normal draws, P rows of M
 */
public record MonteCarloData(double s0, double r, double[] sigma, double strike, double maturity, double width,
        double[][] z) {
    /** The number of paths benchmarked. */
    public static final int PATHS = 2000;
    /** The number of time steps (and volatility buckets) benchmarked. */
    public static final int STEPS = 64;
    /** The seed of the benchmarked draws. */
    public static final long SEED = 20261203L;
    /** The payoff's smoothing width: 1 in units of the price, 1 % of the benchmarked strike. */
    public static final double WIDTH = 1.0;

    /**
     * Returns the benchmarked data: an at-the-money one-year Asian call, S0 = K = 100, r = 3 %, a volatility
     * rising linearly from 15 % in the first step to 25 % in the last, {@link #PATHS} paths of {@link #STEPS}
     * steps drawn from {@link #SEED}, smoothing width {@link #WIDTH}.
     *
     * @return the data
     */
    public static MonteCarloData standard() {
        double[] sigma = new double[STEPS];
        for (int j = 0; j < STEPS; j++) {
            sigma[j] = 0.15 + 0.10 * j / (STEPS - 1);
        }
        return new MonteCarloData(100, 0.03, sigma, 100, 1, WIDTH, draws(new Random(SEED), PATHS, STEPS));
    }

    /**
     * Returns a random point and random draws from the seed: S0 uniform on [80, 120), r on [0, 0.06), each σ_j on
     * [0.1, 0.4), with K = 100, T = 1 and width {@link #WIDTH}.
     *
     * @param paths P
     * @param steps M
     * @param seed the seed of {@link Random}
     * @return the data
     */
    public static MonteCarloData random(int paths, int steps, long seed) {
        Random random = new Random(seed);
        // the draws first: the first output of Random is nearly the same for nearby seeds
        double[][] z = draws(random, paths, steps);
        double s0 = 80 + 40 * random.nextDouble();
        double r = 0.06 * random.nextDouble();
        double[] sigma = new double[steps];
        for (int j = 0; j < steps; j++) {
            sigma[j] = 0.1 + 0.3 * random.nextDouble();
        }
        return new MonteCarloData(s0, r, sigma, 100, 1, WIDTH, z);
    }

    private static double[][] draws(Random random, int paths, int steps) {
        double[][] z = new double[paths][steps];
        for (double[] row : z) {
            for (int j = 0; j < steps; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return z;
    }

    /**
     * Returns the same arguments with S0 and r replaced.
     *
     * @param s0 the new S0
     * @param r the new r
     * @return a new record sharing sigma and z
     */
    public MonteCarloData at(double s0, double r) {
        return new MonteCarloData(s0, r, sigma, strike, maturity, width, z);
    }

    /**
     * Returns the number of paths.
     *
     * @return P
     */
    public int paths() {
        return z.length;
    }

    /**
     * Returns the number of time steps.
     *
     * @return M
     */
    public int steps() {
        return sigma.length;
    }

    /**
     * Returns the number of parameters differentiated.
     *
     * @return 2 + M
     */
    public int parameters() {
        return 2 + steps();
    }

    /**
     * Returns the primal at these arguments.
     *
     * @return {@link MonteCarlo#price}
     */
    public double price() {
        return MonteCarlo.price(s0, r, sigma, strike, maturity, width, z);
    }

    /**
     * Returns a gradient in the flat layout of every contender here: ∂/∂S0 (delta), ∂/∂r (rho), then ∂/∂σ_j (the
     * vega buckets).
     *
     * @param s0 delta
     * @param r rho
     * @param sigma the vega buckets
     * @return 2 + M partials
     */
    public static double[] flat(double s0, double r, double[] sigma) {
        double[] out = new double[2 + sigma.length];
        out[0] = s0;
        out[1] = r;
        System.arraycopy(sigma, 0, out, 2, sigma.length);
        return out;
    }
}
