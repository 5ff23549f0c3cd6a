package dev.adjoint.benchmarks.montecarlo;

import org.hipparchus.analysis.differentiation.Gradient;

/**
 * The Asian call's price in Hipparchus' forward mode: {@link MonteCarlo#price} written over {@link Gradient},
 * operation for operation, with all 2 + M parameters free at once, so that one evaluation carries the whole
 * gradient (each operation on 2 + M partials, each result a new array of them). As in {@code HipparchusGmm}, no
 * {@code GradientField} is made; {@link Gradient#variable} and {@link Gradient#constant} need none.
 */
public final class HipparchusMonteCarlo {
    private HipparchusMonteCarlo() {}

    /**
     * Computes the price as a {@link Gradient}: its value and its partials in the layout of
     * {@link MonteCarloData#flat}.
     *
     * @param d the arguments
     * @return the price with its 2 + M partials
     */
    public static Gradient price(MonteCarloData d) {
        return price(d.s0(), d.r(), d.sigma(), d.strike(), d.maturity(), d.width(), d.z());
    }

    /**
     * Computes the price as a {@link Gradient}, the parameters made variables in the layout of
     * {@link MonteCarloData#flat}.
     *
     * @param s0 the asset's price today
     * @param r the risk-free rate
     * @param sigma the volatility of each of the M steps
     * @param strike K
     * @param maturity T
     * @param width the payoff's smoothing width
     * @param z P rows of M standard normal draws (constants)
     * @return the price with its partials
     */
    public static Gradient price(double s0, double r, double[] sigma, double strike, double maturity,
            double width, double[][] z) {
        int steps = sigma.length;
        int p = 2 + steps;
        Gradient s0v = Gradient.variable(p, 0, s0);
        Gradient rv = Gradient.variable(p, 1, r);
        Gradient[] sigmaV = new Gradient[steps];
        for (int j = 0; j < steps; j++) {
            sigmaV[j] = Gradient.variable(p, 2 + j, sigma[j]);
        }
        double dt = maturity / steps;
        double sqrtDt = Math.sqrt(dt);
        Gradient zero = Gradient.constant(p, 0);
        Gradient total = zero;
        for (int path = 0; path < z.length; path++) {
            Gradient s = s0v;
            Gradient sum = zero;
            for (int j = 0; j < steps; j++) {
                double dW = sqrtDt * z[path][j];
                s = s.add(rv.multiply(s).multiply(dt).add(sigmaV[j].multiply(s).multiply(dW)));
                sum = sum.add(s);
            }
            Gradient average = sum.divide(steps);
            total = total.add(softplus(average.subtract(strike).divide(width)).multiply(width));
        }
        return rv.multiply(-maturity).exp().multiply(total).divide(z.length);
    }

    /** log(1 + eˣ), as {@link MonteCarlo#softplus} computes it, by value. */
    private static Gradient softplus(Gradient x) {
        return x.getValue() > 0 ? x.add(x.negate().exp().log1p()) : x.exp().log1p();
    }
}
