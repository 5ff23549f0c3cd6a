package dev.adjoint.benchmarks.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hipparchus.analysis.differentiation.Gradient;
import org.junit.jupiter.api.Test;

/** The checks the benchmark's setup runs, on the benchmarked data, with the numbers asserted here. */
class LstmChecksTest {
    private static final LstmData DATA = LstmData.standard();

    @Test
    void everyContenderAgreesWithTheHandWrittenAdjoint() {
        assertEquals(2, DATA.layers());
        assertEquals(14, DATA.b());
        assertEquals(1024, DATA.sequence().length);
        assertEquals(266, DATA.parameters());
        double[][] stateBefore = copy(DATA.state());

        HandLstm.Result hand = LstmChecks.checkAll(DATA);
        double primal = DATA.objective();
        assertEquals(primal, hand.value, 1e-12 * primal);
        // a mean negative log-likelihood per bit, of order one
        assertTrue(hand.value > 0.1 && hand.value < 10, "loss " + hand.value);
        double[] handFlat = hand.flat();

        LstmGrad.ObjectiveGradient adjoint = LstmGrad.objective(DATA.mainParams(), DATA.extraParams(),
                DATA.state(), DATA.sequence());
        assertEquals(primal, adjoint.value(), 0.0, "the value is the primal's, bit for bit");
        double adjointError = LstmChecks.relativeError(handFlat, LstmChecks.flat(adjoint));
        assertTrue(adjointError <= 1e-12, "Adjoint against the hand-written adjoint: " + adjointError);

        Gradient hip = HipparchusLstm.objective(DATA);
        assertEquals(266, hip.getFreeParameters());
        assertTrue(LstmChecks.relativeError(handFlat, hip.getGradient()) <= 1e-9);

        double[] fd = FiniteDifferences.gradient(DATA, new double[266]);
        double fdError = LstmChecks.relativeError(handFlat, fd);
        assertTrue(fdError <= 1e-5, "finite differences: " + fdError);
        assertTrue(fdError > 0, "finite differences are not exact: " + fdError);

        for (int i = 0; i < stateBefore.length; i++) {
            assertArrayEquals(stateBefore[i], DATA.state()[i], 0.0, "the state is only read");
        }
    }

    @Test
    void theHandWrittenAdjointIsAdbenchsExpectedGradient() {
        double[] reference = LstmData.referenceGradient();
        assertEquals(266, reference.length, "ADBench's J file");
        double[] g = LstmChecks.hand(DATA).flat();
        double largest = 0;
        for (double r : reference) {
            largest = Math.max(largest, Math.abs(r));
        }
        assertTrue(largest > 1e-3 && largest < 0.1, "ADBench's partials are small: " + largest);
        for (int i = 0; i < g.length; i++) {
            assertEquals(reference[i], g[i], 1e-12 * largest, "partial " + i);
        }
        assertTrue(LstmChecks.checkAgainstAdbench("hand-written", g, reference) <= 1e-12);
    }

    /** Another shape than ADBench's: three layers (a middle one), 5 bits, 7 characters. */
    @Test
    void theHandWrittenAdjointAgreesWithFiniteDifferencesOnAnotherShape() {
        Random r = new Random(11);
        LstmData d = new LstmData(gaussian(r, 6, 20, 0.8), gaussian(r, 3, 5, 0.8), gaussian(r, 6, 5, 0.5),
                bits(r, 7, 5));
        HandLstm.Result hand = LstmChecks.hand(d);
        assertEquals(d.objective(), hand.value, 1e-12 * hand.value);
        double fdError = LstmChecks.relativeError(hand.flat(), FiniteDifferences.gradient(d, new double[135]));
        assertTrue(fdError <= 1e-6, "finite differences: " + fdError);
        LstmGrad.ObjectiveGradient adjoint = LstmGrad.objective(d.mainParams(), d.extraParams(), d.state(),
                d.sequence());
        assertTrue(LstmChecks.relativeError(hand.flat(), LstmChecks.flat(adjoint)) <= 1e-12);
    }

    @Test
    void aWrongGradientIsCaught() {
        HandLstm.Result hand = LstmChecks.hand(DATA);
        double[] wrong = hand.flat();
        wrong[40] *= 1 + 1e-6;
        wrong[40] += 1e-9;
        assertThrows(IllegalStateException.class,
                () -> LstmChecks.check("wrong", hand, Double.NaN, wrong, LstmChecks.TOLERANCE));
        LstmChecks.check("right", hand, hand.value, hand.flat(), LstmChecks.TOLERANCE);
    }

    @Test
    void aWrongHandWrittenGradientIsCaughtByAdbenchsReference() {
        double[] reference = LstmData.referenceGradient();
        double[] wrong = LstmChecks.hand(DATA).flat();
        wrong[230] *= 1 + 1e-6;
        wrong[230] += 1e-9;
        assertThrows(IllegalStateException.class,
                () -> LstmChecks.checkAgainstAdbench("wrong", wrong, reference));
    }

    @Test
    void theBenchmarkSetupChecksAndKeepsTheData() {
        LstmBenchmark bench = new LstmBenchmark();
        bench.setup();
        assertEquals(DATA.objective(), bench.primal(), 0.0);
        assertEquals(bench.primal(), bench.adjointReuse().value(), 0.0);
        assertSame(bench.adjointReuse(), bench.adjointReuse());
        assertEquals(bench.handWritten().extraParams[1][3], bench.adjointAllocating().extraParams()[1][3], 1e-15);
    }

    private static double[][] copy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    private static double[][] gaussian(Random r, int rows, int cols, double scale) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = scale * r.nextGaussian();
            }
        }
        return a;
    }

    private static double[][] bits(Random r, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextBoolean() ? 1 : 0;
            }
        }
        return a;
    }
}
