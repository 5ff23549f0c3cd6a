package dev.adjoint.benchmarks.perceptron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.benchmarks.AllocatedBytes;
import dev.adjoint.benchmarks.CentralDifferences;
import org.hipparchus.analysis.differentiation.Gradient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The checks the benchmark's setup runs, and the gradients' numbers at the benchmarked and at random points. */
class PerceptronChecksTest {
    @Test
    void theBenchmarkSetupChecksAndKeepsTheData() {
        PerceptronBenchmark bench = new PerceptronBenchmark();
        bench.setup();
        PerceptronData d = bench.data;
        assertEquals(128, d.batch());
        assertEquals(64, d.inputs());
        assertEquals(32, d.hidden());
        assertEquals(10, d.outputs());
        assertEquals(2410, d.parameters());
        assertEquals(PerceptronBenchmark.HIPPARCHUS_SAMPLES, bench.hipparchusData.batch());
        assertSame(d.W1(), bench.hipparchusData.W1(), "Hipparchus runs at the same point");

        double primal = bench.primal();
        assertEquals(d.loss(), primal, 0.0);
        assertTrue(primal > 1 && primal < 100, "a loss away from the minimum: " + primal);
        assertEquals(primal, bench.adjointReuse().value(), 0.0, "the value is the primal's, bit for bit");
        assertSame(bench.adjointOut, bench.adjointReuse());
        assertSame(bench.handOut, bench.handWritten());
        assertEquals(bench.handWritten().W1[5][7], bench.adjointAllocating().W1()[5][7], 1e-15);
        assertEquals(2410, bench.fdOut.length);

        // the costly two on a small problem (over the benchmarked one they take seconds; the setup checked them)
        bench.data = PerceptronData.random(6, 4, 3, 2, 21);
        bench.hipparchusData = bench.data;
        bench.fdOut = new double[bench.data.parameters()];
        assertSame(bench.fdOut, bench.finiteDifferences());
        double[] hand = PerceptronChecks.hand(bench.data).flat();
        assertTrue(PerceptronChecks.relativeError(hand, bench.fdOut) <= 1e-7);
        assertTrue(PerceptronChecks.relativeError(hand, bench.hipparchusForward().getGradient()) <= 1e-12);
    }

    @Test
    void atTheBenchmarkedPointTheGeneratedGradientIsTheHandWrittenOneAndCentralDifferences() {
        PerceptronData d = PerceptronData.standard();
        HandPerceptron.Result hand = PerceptronChecks.hand(d);
        PerceptronGrad.LossGradient adjoint = PerceptronGrad.loss(d.W1(), d.b1(), d.W2(), d.b2(), d.X(), d.Y());
        assertEquals(d.loss(), adjoint.value(), 0.0, "the value is the primal's, bit for bit");
        assertEquals(d.loss(), hand.value, 1e-12 * hand.value);
        double[] handFlat = hand.flat();
        double[] adjointFlat = PerceptronChecks.flat(adjoint);
        double largest = largest(handFlat);
        assertTrue(largest > 0.1 && largest < 10, "largest partial " + largest);
        for (int i = 0; i < handFlat.length; i++) {
            assertEquals(handFlat[i], adjointFlat[i], 1e-12 * largest, "partial " + i);
        }

        // central differences of a few whole rows (all 4820 evaluations take over a second; the setup's check runs
        // them): b1, b2, and the first and last rows of W1 and W2
        int n = d.inputs();
        int h = d.hidden();
        int o = d.outputs();
        double[] fd = new double[handFlat.length];
        int w2 = h * n + h;
        CentralDifferences.partials(d.W1()[0], d::loss, fd, 0);
        CentralDifferences.partials(d.W1()[h - 1], d::loss, fd, (h - 1) * n);
        CentralDifferences.partials(d.b1(), d::loss, fd, h * n);
        CentralDifferences.partials(d.W2()[0], d::loss, fd, w2);
        CentralDifferences.partials(d.W2()[o - 1], d::loss, fd, w2 + (o - 1) * h);
        CentralDifferences.partials(d.b2(), d::loss, fd, w2 + o * h);
        int compared = 0;
        double worst = 0;
        for (int i = 0; i < fd.length; i++) {
            boolean done = i < n || (i >= (h - 1) * n && i < w2 + h) || (i >= w2 + (o - 1) * h);
            if (done) {
                worst = Math.max(worst, Math.abs(fd[i] - adjointFlat[i]));
                compared++;
            }
        }
        assertEquals(2 * n + h + 2 * h + o, compared);
        assertTrue(worst <= 1e-7 * largest, "central differences: " + worst / largest);
        assertTrue(worst > 0, "central differences are not exact");
        assertEquals(hand.value, d.loss(), 0.0, "the parameters are restored");
    }

    /** Seeded random points of several shapes, down to one sample, one input, one unit and one output. */
    @ParameterizedTest
    @CsvSource({"1, 12, 7, 5, 3", "2, 30, 4, 9, 2", "3, 5, 16, 3, 6", "4, 1, 1, 1, 1", "5, 8, 3, 2, 1"})
    void atRandomPointsEveryContenderAgrees(long seed, int batch, int inputs, int hidden, int outputs) {
        PerceptronData d = PerceptronData.random(batch, inputs, hidden, outputs, seed);
        assertEquals(hidden * inputs + hidden + outputs * hidden + outputs, d.parameters());
        HandPerceptron.Result hand = PerceptronChecks.checkAll(d, batch);
        double[] handFlat = hand.flat();
        double largest = largest(handFlat);
        assertTrue(largest > 1e-3, "largest partial " + largest);

        PerceptronGrad.LossGradient adjoint = PerceptronGrad.loss(d.W1(), d.b1(), d.W2(), d.b2(), d.X(), d.Y());
        assertEquals(d.loss(), adjoint.value(), 0.0, "the value is the primal's, bit for bit");
        double adjointError = PerceptronChecks.relativeError(handFlat, PerceptronChecks.flat(adjoint));
        assertTrue(adjointError <= 1e-12, "Adjoint against the hand-written adjoint: " + adjointError);

        double[] fd = FiniteDifferences.gradient(d, new double[d.parameters()]);
        double fdError = PerceptronChecks.relativeError(PerceptronChecks.flat(adjoint), fd);
        assertTrue(fdError <= 1e-7, "Adjoint against central differences: " + fdError);
        assertTrue(fdError > 0, "central differences are not exact: " + fdError);

        Gradient hip = HipparchusPerceptron.loss(d);
        assertEquals(d.parameters(), hip.getFreeParameters());
        assertTrue(PerceptronChecks.relativeError(handFlat, hip.getGradient()) <= 1e-12);
    }

    /** One sample, one input, one unit, one output: L = (w₂ tanh(w₁x + b₁) + b₂ − y)², by the chain rule. */
    @Test
    void theGradientOfOneUnitIsTheChainRule() {
        double w1 = 0.7;
        double b1 = -0.2;
        double w2 = 1.3;
        double b2 = 0.4;
        double x = 0.9;
        double y = -0.5;
        PerceptronData d = new PerceptronData(new double[][] {{w1}}, new double[] {b1}, new double[][] {{w2}},
                new double[] {b2}, new double[][] {{x}}, new double[][] {{y}});
        double a = Math.tanh(w1 * x + b1);
        double e = w2 * a + b2 - y;
        double[] expected = {2 * e * w2 * (1 - a * a) * x, 2 * e * w2 * (1 - a * a), 2 * e * a, 2 * e};
        PerceptronGrad.LossGradient adjoint = PerceptronGrad.loss(d.W1(), d.b1(), d.W2(), d.b2(), d.X(), d.Y());
        HandPerceptron.Result hand = PerceptronChecks.hand(d);
        assertEquals(e * e, adjoint.value(), 1e-15);
        assertEquals(e * e, hand.value, 1e-15);
        double[] adjointFlat = PerceptronChecks.flat(adjoint);
        double[] handFlat = hand.flat();
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], adjointFlat[i], 1e-14, "Adjoint, partial " + i);
            assertEquals(expected[i], handFlat[i], 1e-14, "hand-written, partial " + i);
        }

        // the same sample twice: the mean, so the same loss and gradient
        PerceptronData twice = new PerceptronData(d.W1(), d.b1(), d.W2(), d.b2(), new double[][] {{x}, {x}},
                new double[][] {{y}, {y}});
        PerceptronGrad.LossGradient mean = PerceptronGrad.loss(twice.W1(), twice.b1(), twice.W2(), twice.b2(),
                twice.X(), twice.Y());
        assertEquals(e * e, mean.value(), 1e-15);
        double[] meanFlat = PerceptronChecks.flat(mean);
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], meanFlat[i], 1e-14, "Adjoint over two samples, partial " + i);
        }
    }

    @Test
    void aWrongGradientIsCaught() {
        PerceptronData d = PerceptronData.random(12, 7, 5, 3, 1);
        HandPerceptron.Result hand = PerceptronChecks.hand(d);
        double[] wrong = hand.flat();
        wrong[40] *= 1 + 1e-6;
        wrong[40] += 1e-6;
        assertThrows(IllegalStateException.class,
                () -> PerceptronChecks.check("wrong", hand, Double.NaN, wrong, PerceptronChecks.TOLERANCE));
        assertThrows(IllegalStateException.class,
                () -> PerceptronChecks.check("wrong value", hand, hand.value * (1 + 1e-6), hand.flat(),
                        PerceptronChecks.TOLERANCE));
        PerceptronChecks.check("right", hand, hand.value, hand.flat(), PerceptronChecks.TOLERANCE);
    }

    @Test
    void aWarmCallOfTheHandWrittenAndTheReusingGeneratedGradientAllocatesNothing() {
        PerceptronData d = PerceptronData.random(16, 8, 6, 3, 9);
        HandPerceptron.Result hand = new HandPerceptron.Result(8, 6, 3);
        PerceptronGrad.LossGradient adjoint = new PerceptronGrad.LossGradient();
        assertEquals(0, AllocatedBytes.of(20,
                () -> HandPerceptron.loss(d.W1(), d.b1(), d.W2(), d.b2(), d.X(), d.Y(), hand)));
        assertEquals(0, AllocatedBytes.of(20,
                () -> PerceptronGrad.loss(d.W1(), d.b1(), d.W2(), d.b2(), d.X(), d.Y(), adjoint)));
    }

    private static double largest(double[] partials) {
        double largest = 0;
        for (double g : partials) {
            largest = Math.max(largest, Math.abs(g));
        }
        return largest;
    }
}
