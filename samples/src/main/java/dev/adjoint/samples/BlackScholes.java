package dev.adjoint.samples;

import dev.adjoint.Differentiable;
import org.hipparchus.special.Erf;

/**
 * The Black-Scholes price of a European call, whose normal CDF comes from Hipparchus's {@link Erf}: a library
 * function with no source here, differentiated through the custom rule in {@link ErfRules}. Its sensitivities
 * (delta, vega, rho) are the gradient Adjoint generates; {@link #main} prints them beside their closed forms. Run
 * it from the repository root with {@code mvn -B -q -Pdemo -DskipTests verify} (see the README).
 */
public final class BlackScholes {
    private static final double SQRT_TWO = Math.sqrt(2.0);

    private BlackScholes() {}

    /**
     * The price of a European call.
     *
     * @param s   the spot price
     * @param k   the strike
     * @param vol the volatility (per year)
     * @param r   the risk-free rate (continuously compounded, per year)
     * @param t   the time to expiry (years)
     * @return the call's price
     */
    @Differentiable(wrt = {"s", "vol", "r"})
    public static double call(double s, double k, double vol, double r, double t) {
        double sqrtT = Math.sqrt(t);
        double d1 = (Math.log(s / k) + (r + 0.5 * vol * vol) * t) / (vol * sqrtT);
        double d2 = d1 - vol * sqrtT;
        return s * normalCdf(d1) - k * Math.exp(-r * t) * normalCdf(d2);
    }

    /** The standard normal CDF, Φ(x) = (1 + erf(x/√2)) / 2: differentiated through where it is called. */
    static double normalCdf(double x) {
        return 0.5 * (1 + Erf.erf(x / SQRT_TWO));
    }

    /** The standard normal density φ(x), for the closed forms. */
    static double normalPdf(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    /** Prints the price and its sensitivities at a sample market, each beside its closed form. */
    public static void main(String[] args) {
        double s = 100;
        double k = 105;
        double vol = 0.25;
        double r = 0.03;
        double t = 0.75;
        BlackScholesGrad.CallGradient g = BlackScholesGrad.call(s, k, vol, r, t);
        double d1 = (Math.log(s / k) + (r + 0.5 * vol * vol) * t) / (vol * Math.sqrt(t));
        double d2 = d1 - vol * Math.sqrt(t);
        System.out.println();
        System.out.printf("Black-Scholes call, S=%.0f K=%.0f vol=%.2f r=%.2f T=%.2f: price %.6f%n", s, k, vol, r, t,
                g.value());
        System.out.printf("  delta = dC/dS    %.12f   closed form N(d1)            %.12f%n", g.s(), normalCdf(d1));
        System.out.printf("  vega  = dC/dvol  %.12f   closed form S phi(d1) sqrt(T) %.12f%n", g.vol(),
                s * normalPdf(d1) * Math.sqrt(t));
        System.out.printf("  rho   = dC/dr    %.12f   closed form K T e^-rT N(d2)   %.12f%n", g.r(),
                k * t * Math.exp(-r * t) * normalCdf(d2));
        System.out.println("  (erf is Hipparchus's, differentiated by the custom rule ErfRules.erfPullback; gamma, a "
                + "second derivative, comes with second order)");
    }
}
