package dev.adjoint.samples;

import dev.adjoint.Pullback;
import org.hipparchus.special.Erf;

/**
 * The derivative of Hipparchus's {@link Erf#erf(double)}, which Adjoint cannot differentiate itself (its source is
 * in a jar): d erf(x)/dx = 2/√π · e^(−x²). Declared as a pullback, it serves forward mode too.
 */
final class ErfRules {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private ErfRules() {}

    /**
     * @param x    erf's argument
     * @param yBar the adjoint of erf(x)
     * @return the adjoint of x: yBar · 2/√π · e^(−x²)
     */
    @Pullback(of = Erf.class, method = "erf")
    static double erfPullback(double x, double yBar) {
        return TWO_OVER_SQRT_PI * Math.exp(-x * x) * yBar;
    }
}
