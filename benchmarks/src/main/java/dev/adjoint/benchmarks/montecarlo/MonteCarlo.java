package dev.adjoint.benchmarks.montecarlo;

import dev.adjoint.Differentiable;

/**
 * The Monte Carlo price of an arithmetic-average Asian call on an asset that follows dS = r S dt + σ(t) S dW,
 * Euler-discretised over M steps with a piecewise-constant volatility σ_j per step, over P paths of pre-drawn
 * standard normals. The payoff max(A − K, 0) is smoothed to w softplus((A − K) / w), of a fixed width w, so that
 * every path's payoff is smooth in the parameters. The processor writes {@code MonteCarloGrad} from it at this
 * module's compile time; its gradient is the price's delta (∂/∂S0), rho (∂/∂r) and vega buckets (∂/∂σ_j).
 */
public final class MonteCarlo {
    private MonteCarlo() {}

    /**
     * V = exp(−rT) · 1/P Σ_p w softplus((A_p − K) / w), with A_p = 1/M Σ_{j=1..M} S_{p,j} and
     * S_{p,j+1} = S_{p,j} + r S_{p,j} Δt + σ_j S_{p,j} √Δt z_{p,j}, S_{p,0} = S0, Δt = T / M.
     *
     * @param s0 the asset's price today
     * @param r the risk-free rate (continuously compounded)
     * @param sigma the volatility of each of the M steps
     * @param strike K
     * @param maturity T, in years
     * @param width the smoothing width w of the payoff, in units of the price
     * @param z the standard normal draws, P rows of M
     * @return the discounted mean payoff over the paths
     */
    @Differentiable(wrt = {"s0", "r", "sigma"})
    public static double price(double s0, double r, double[] sigma, double strike, double maturity, double width,
            double[][] z) {
        int steps = sigma.length;
        double dt = maturity / steps;
        double sqrtDt = Math.sqrt(dt);
        double total = 0;
        for (int p = 0; p < z.length; p++) {
            double s = s0;
            double sum = 0;
            for (int j = 0; j < steps; j++) {
                double dW = sqrtDt * z[p][j];
                s += r * s * dt + sigma[j] * s * dW;
                sum += s;
            }
            double average = sum / steps;
            total += width * softplus((average - strike) / width);
        }
        return Math.exp(-r * maturity) * total / z.length;
    }

    /**
     * log(1 + eˣ), the smooth version of max(x, 0), written so that exp cannot overflow.
     *
     * @param x the argument
     * @return softplus(x)
     */
    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }
}
