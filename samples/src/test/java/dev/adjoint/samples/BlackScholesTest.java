package dev.adjoint.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Black-Scholes sample: its generated sensitivities against the closed forms (delta = N(d1), vega =
 * S φ(d1) √T, rho = K T e^(−rT) N(d2)) at seeded random markets, forward mode against reverse mode, and both
 * against central differences.
 */
class BlackScholesTest {
    @Test
    void greeksMatchTheirClosedForms() {
        SplittableRandom random = new SplittableRandom(17);
        for (int trial = 0; trial < 50; trial++) {
            double s = random.nextDouble(50, 150);
            double k = random.nextDouble(60, 140);
            double vol = random.nextDouble(0.05, 0.8);
            double r = random.nextDouble(-0.01, 0.1);
            double t = random.nextDouble(0.05, 3);
            BlackScholesGrad.CallGradient g = BlackScholesGrad.call(s, k, vol, r, t);
            double d1 = (Math.log(s / k) + (r + 0.5 * vol * vol) * t) / (vol * Math.sqrt(t));
            double d2 = d1 - vol * Math.sqrt(t);
            String at = " at S=" + s + " K=" + k + " vol=" + vol + " r=" + r + " T=" + t;
            assertEquals(BlackScholes.call(s, k, vol, r, t), g.value(), 0.0, "value" + at);
            assertEquals(BlackScholes.normalCdf(d1), g.s(), 1e-12, "delta" + at);
            double vega = s * BlackScholes.normalPdf(d1) * Math.sqrt(t);
            assertEquals(vega, g.vol(), 1e-12 * Math.max(1, vega), "vega" + at);
            double rho = k * t * Math.exp(-r * t) * BlackScholes.normalCdf(d2);
            assertEquals(rho, g.r(), 1e-12 * Math.max(1, rho), "rho" + at);
            // forward mode: the directional derivative along (sDot, volDot, rDot) is the gradient's dot product
            double sDot = random.nextDouble(-1, 1);
            double volDot = random.nextDouble(-1, 1);
            double rDot = random.nextDouble(-1, 1);
            double expected = g.s() * sDot + g.vol() * volDot + g.r() * rDot;
            double magnitude = Math.abs(g.s() * sDot) + Math.abs(g.vol() * volDot) + Math.abs(g.r() * rDot);
            assertEquals(expected, BlackScholesGrad.callJvp(s, k, vol, r, t, sDot, volDot, rDot).tangent(),
                    1e-12 * Math.max(1, magnitude), "forward against reverse" + at);
            // central differences in s
            double h = 1e-5 * s;
            double central = (BlackScholes.call(s + h, k, vol, r, t) - BlackScholes.call(s - h, k, vol, r, t))
                    / (2 * h);
            assertEquals(central, g.s(), 1e-7, "delta against central differences" + at);
        }
    }
}
