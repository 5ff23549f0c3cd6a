package dev.adjoint.benchmarks.neuron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hipparchus.analysis.differentiation.Gradient;
import org.junit.jupiter.api.Test;

/** The checks the benchmark's setup runs, on the benchmarked data, with the numbers asserted here. */
class NeuronChecksTest {
    private static final NeuronData DATA = NeuronData.standard();

    @Test
    void everyContenderAgreesWithTheHandWrittenAdjoint() {
        HandNeuron.Result hand = NeuronChecks.checkAll(DATA);
        double[] w = DATA.w();
        double b = DATA.b();
        assertEquals(NeuronData.SAMPLES, DATA.X().length);
        assertEquals(NeuronData.FEATURES, w.length);
        assertEquals(Neuron.loss(w, b, DATA.X(), DATA.y()), hand.value, 1e-12 * hand.value);
        assertTrue(hand.value > 0.01, "a loss away from the minimum: " + hand.value);

        NeuronGrad.LossGradient adjoint = NeuronGrad.loss(w, b, DATA.X(), DATA.y());
        assertEquals(hand.value, adjoint.value(), 0.0, "the value is the primal's, bit for bit");
        assertTrue(NeuronChecks.relativeError(hand, NeuronChecks.flat(adjoint.w(), adjoint.b())) <= 1e-9);
        for (int j = 0; j < w.length; j++) {
            assertEquals(hand.w[j], adjoint.w()[j], 1e-12, "dC/dw[" + j + "]");
        }
        assertEquals(hand.b, adjoint.b(), 1e-12, "dC/db");

        Gradient hip = HipparchusNeuron.loss(HipparchusNeuron.field(w.length), w, b, DATA.X(), DATA.y());
        assertEquals(w.length + 1, hip.getFreeParameters());
        assertTrue(NeuronChecks.relativeError(hand, hip.getGradient()) <= 1e-9);

        double[] fd = FiniteDifferences.gradient(w.clone(), b, DATA.X(), DATA.y(), new double[w.length + 1]);
        double fdError = NeuronChecks.relativeError(hand, fd);
        assertTrue(fdError <= 1e-5, "finite differences: " + fdError);
        assertTrue(fdError > 0, "finite differences are not exact: " + fdError);
    }

    @Test
    void aWrongGradientIsCaught() {
        HandNeuron.Result hand = HandNeuron.loss(DATA.w(), DATA.b(), DATA.X(), DATA.y(),
                new HandNeuron.Result(DATA.w().length));
        double[] wrong = NeuronChecks.flat(hand.w, hand.b);
        wrong[3] *= 1 + 1e-6;
        wrong[3] += 1e-6;
        assertThrows(IllegalStateException.class,
                () -> NeuronChecks.check("wrong", hand, Double.NaN, wrong, NeuronChecks.TOLERANCE));
    }

    @Test
    void theBenchmarkSetupChecksAndKeepsTheData() {
        NeuronBenchmark bench = new NeuronBenchmark();
        bench.setup();
        assertEquals(Neuron.loss(DATA.w(), DATA.b(), DATA.X(), DATA.y()), bench.primal(), 0.0);
        assertEquals(bench.primal(), bench.adjointReuse().value(), 0.0);
        assertEquals(bench.handWritten().b, bench.adjointAllocating().b(), 1e-12);
    }
}
