package dev.adjoint.benchmarks.montecarlo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.benchmarks.AllocatedBytes;
import java.util.Arrays;
import org.hipparchus.analysis.differentiation.Gradient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks the benchmark's setup runs, and the gradients' numbers at the benchmarked and at random points. */
class MonteCarloChecksTest {
    @Test
    void theBenchmarkSetupChecksAndKeepsTheData() {
        MonteCarloBenchmark bench = new MonteCarloBenchmark();
        bench.setup();
        MonteCarloData d = bench.data;
        assertEquals(2000, d.paths());
        assertEquals(64, d.steps());
        assertEquals(66, d.parameters());
        double primal = bench.primal();
        assertEquals(d.price(), primal, 0.0);
        assertEquals(primal, bench.adjointReuse().value(), 0.0, "the value is the primal's, bit for bit");
        assertSame(bench.adjointOut, bench.adjointReuse());
        assertSame(bench.handOut, bench.handWritten());
        assertEquals(bench.handWritten().sigma[10], bench.adjointAllocating().sigma()[10], 1e-14);
        assertSame(bench.fdOut, bench.finiteDifferences());
        assertTrue(MonteCarloChecks.relativeError(bench.handOut.flat(), bench.fdOut) <= 1e-8);

        // Hipparchus on a small problem (the setup checked it on the benchmarked one)
        bench.data = MonteCarloData.random(20, 4, 21);
        Gradient hip = bench.hipparchusForward();
        assertEquals(6, hip.getFreeParameters());
        assertTrue(MonteCarloChecks.relativeError(MonteCarloChecks.hand(bench.data).flat(), hip.getGradient())
                <= 1e-12);
    }

    @Test
    void atTheBenchmarkedPointTheGeneratedGradientIsTheHandWrittenOneAndCentralDifferences() {
        MonteCarloData d = MonteCarloData.standard();
        double primal = d.price();
        // an at-the-money one-year Asian call at about 20 % volatility: a few percent of the price
        assertTrue(primal > 3 && primal < 8, "price " + primal);
        HandMonteCarlo.Result hand = MonteCarloChecks.hand(d);
        assertEquals(primal, hand.value, 1e-12 * primal);
        MonteCarloGrad.PriceGradient adjoint = MonteCarloChecks.adjoint(d);
        assertEquals(primal, adjoint.value(), 0.0, "the value is the primal's, bit for bit");
        double[] handFlat = hand.flat();
        double[] adjointFlat = MonteCarloChecks.flat(adjoint);
        double largest = Math.abs(handFlat[1]);
        for (int i = 0; i < handFlat.length; i++) {
            assertEquals(handFlat[i], adjointFlat[i], 1e-12 * largest, "partial " + i);
        }
        // the Greeks' signs and sizes: delta between 0 and 1, rho the largest, the total vega positive, and the
        // first half of the buckets (more of the average depends on them) worth more than the second
        assertTrue(adjoint.s0() > 0.3 && adjoint.s0() < 0.8, "delta " + adjoint.s0());
        assertTrue(adjoint.r() > 10 && adjoint.r() < 50, "rho " + adjoint.r());
        double early = 0;
        double late = 0;
        for (int j = 0; j < 32; j++) {
            early += adjoint.sigma()[j];
            late += adjoint.sigma()[32 + j];
        }
        assertTrue(late > 0 && early > 3 * late, "vega, first half " + early + ", second half " + late);
        assertTrue(largest == largest(handFlat), "rho is the largest partial");

        double[] fd = FiniteDifferences.gradient(d, new double[d.parameters()]);
        double fdError = MonteCarloChecks.relativeError(adjointFlat, fd);
        assertTrue(fdError <= 1e-8, "Adjoint against central differences: " + fdError);
        assertTrue(fdError > 0, "central differences are not exact: " + fdError);
        assertEquals(primal, d.price(), 0.0, "the parameters are restored");
    }

    /** Seeded random points (S0, r, each σ_j) and draws, 50 paths of 8 steps. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void atRandomPointsEveryContenderAgrees(long seed) {
        MonteCarloData d = MonteCarloData.random(50, 8, seed);
        assertEquals(10, d.parameters());
        HandMonteCarlo.Result hand = MonteCarloChecks.checkAll(d);
        double[] handFlat = hand.flat();

        MonteCarloGrad.PriceGradient adjoint = MonteCarloChecks.adjoint(d);
        assertEquals(d.price(), adjoint.value(), 0.0, "the value is the primal's, bit for bit");
        double adjointError = MonteCarloChecks.relativeError(handFlat, MonteCarloChecks.flat(adjoint));
        assertTrue(adjointError <= 1e-12, "Adjoint against the hand-written adjoint: " + adjointError);

        double[] fd = FiniteDifferences.gradient(d, new double[d.parameters()]);
        double fdError = MonteCarloChecks.relativeError(MonteCarloChecks.flat(adjoint), fd);
        assertTrue(fdError <= 1e-7, "Adjoint against central differences: " + fdError);
        assertTrue(fdError > 0, "central differences are not exact: " + fdError);

        Gradient hip = HipparchusMonteCarlo.price(d);
        assertEquals(10, hip.getFreeParameters());
        assertTrue(MonteCarloChecks.relativeError(handFlat, hip.getGradient()) <= 1e-12);
    }

    /**
     * With σ = 0 every path is S_j = S0 (1 + rΔt)^j, so V = e^{−rT} w softplus((A − K) / w) with A known in closed
     * form; delta and rho follow from it, and each vega bucket from ∂S_m/∂σ_j = S_m √Δt z_j / (1 + rΔt), m &gt; j.
     */
    @Test
    void withoutVolatilityTheGreeksAreTheClosedForms() {
        int steps = 6;
        MonteCarloData random = MonteCarloData.random(40, steps, 17);
        double s0 = 97;
        double r = 0.05;
        MonteCarloData d = new MonteCarloData(s0, r, new double[steps], 95, 1, 2, random.z());
        double dt = 1.0 / steps;
        double g = 1 + r * dt;
        double[] state = new double[steps + 1];
        double average = 0;
        double averageByR = 0;
        state[0] = s0;
        for (int m = 1; m <= steps; m++) {
            state[m] = state[m - 1] * g;
            average += state[m] / steps;
            averageByR += s0 * m * Math.pow(g, m - 1) * dt / steps;
        }
        double x = (average - 95) / 2;
        double sigmoid = 1 / (1 + Math.exp(-x));
        double discount = Math.exp(-r);
        double price = discount * 2 * Math.log1p(Math.exp(x));
        double[] expected = new double[2 + steps];
        expected[0] = discount * sigmoid * average / s0;
        expected[1] = -price + discount * sigmoid * averageByR;
        for (int j = 0; j < steps; j++) {
            double later = 0;
            for (int m = j + 1; m <= steps; m++) {
                later += state[m];
            }
            double meanZ = 0;
            for (double[] zp : d.z()) {
                meanZ += zp[j] / d.paths();
            }
            expected[2 + j] = discount * sigmoid * later / steps * Math.sqrt(dt) * meanZ / g;
        }

        MonteCarloGrad.PriceGradient adjoint = MonteCarloChecks.adjoint(d);
        HandMonteCarlo.Result hand = MonteCarloChecks.hand(d);
        assertEquals(price, adjoint.value(), 1e-13 * price);
        assertEquals(price, hand.value, 1e-13 * price);
        double[] adjointFlat = MonteCarloChecks.flat(adjoint);
        double[] handFlat = hand.flat();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], adjointFlat[i], 1e-12 * Math.abs(expected[1]), "Adjoint, partial " + i);
            assertEquals(expected[i], handFlat[i], 1e-12 * Math.abs(expected[1]), "hand-written, partial " + i);
        }
        assertTrue(Math.abs(expected[2]) > 1e-3, "a vega bucket that is not zero: " + expected[2]);
    }

    @Test
    void aWrongGradientIsCaught() {
        MonteCarloData d = MonteCarloData.random(50, 8, 1);
        HandMonteCarlo.Result hand = MonteCarloChecks.hand(d);
        double[] wrong = hand.flat();
        wrong[5] *= 1 + 1e-6;
        wrong[5] += 1e-6;
        assertThrows(IllegalStateException.class,
                () -> MonteCarloChecks.check("wrong", hand, Double.NaN, wrong, MonteCarloChecks.TOLERANCE));
        assertThrows(IllegalStateException.class,
                () -> MonteCarloChecks.check("wrong value", hand, hand.value * (1 + 1e-6), hand.flat(),
                        MonteCarloChecks.TOLERANCE));
        MonteCarloChecks.check("right", hand, hand.value, hand.flat(), MonteCarloChecks.TOLERANCE);
    }

    @Test
    void theDrawsAndTheVolatilitiesAreOnlyRead() {
        MonteCarloData d = MonteCarloData.random(30, 5, 8);
        double[] sigma = d.sigma().clone();
        double[] firstPath = d.z()[0].clone();
        MonteCarloChecks.checkAll(d);
        assertTrue(Arrays.equals(sigma, d.sigma()), "sigma restored");
        assertTrue(Arrays.equals(firstPath, d.z()[0]), "the draws unchanged");
    }

    @Test
    void aWarmCallOfTheHandWrittenAndTheReusingGeneratedGradientAllocatesNothing() {
        MonteCarloData d = MonteCarloData.random(50, 8, 3);
        HandMonteCarlo.Result hand = new HandMonteCarlo.Result(8);
        MonteCarloGrad.PriceGradient adjoint = new MonteCarloGrad.PriceGradient();
        assertEquals(0, AllocatedBytes.of(20, () -> HandMonteCarlo.price(d.s0(), d.r(), d.sigma(), d.strike(),
                d.maturity(), d.width(), d.z(), hand)));
        assertEquals(0, AllocatedBytes.of(20, () -> MonteCarloGrad.price(d.s0(), d.r(), d.sigma(), d.strike(),
                d.maturity(), d.width(), d.z(), adjoint)));
    }

    private static double largest(double[] partials) {
        double largest = 0;
        for (double g : partials) {
            largest = Math.max(largest, Math.abs(g));
        }
        return largest;
    }
}
