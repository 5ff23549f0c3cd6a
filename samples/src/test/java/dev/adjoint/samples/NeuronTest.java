package dev.adjoint.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sample end to end: {@code NeuronGrad} was written by the processor during this module's ordinary Maven
 * compile, so these tests exercise the processor exactly as a user's build does.
 */
class NeuronTest {
    private static final double[] TRUE_W = {1.5, -2.0, 0.5};
    private static final double TRUE_B = 4.5;
    private static final NeuronDemo.Data DATA = NeuronDemo.synthetic(TRUE_W, TRUE_B, 200, 42);

    @Test
    void trainingDrivesTheLossDownAndRecoversTheNeuron() {
        double[] w = new double[3];
        double b = 1.0;
        NeuronGrad.LossGradient grad = new NeuronGrad.LossGradient();
        double first = Double.NaN;
        double previous = Double.POSITIVE_INFINITY;
        for (int t = 0; t <= 200; t++) {
            assertSame(grad, NeuronGrad.loss(w, b, DATA.X(), DATA.y(), grad));
            double loss = grad.value();
            assertEquals(Neuron.loss(w, b, DATA.X(), DATA.y()), loss, 0.0, "value() is the original method's value");
            assertTrue(loss <= previous, "loss rose at step " + t + ": " + previous + " -> " + loss);
            if (t == 0) {
                first = loss;
            }
            previous = loss;
            b = NeuronDemo.descend(w, b, 0.2, grad);
        }
        assertTrue(first > 10, "starts far from the truth: " + first);
        assertTrue(previous < 1e-12, "ends at the minimum: " + previous);
        assertArrayEquals(TRUE_W, w, 1e-6);
        assertEquals(TRUE_B, b, 1e-6);
    }

    @Test
    void gradientMatchesCentralDifferences() {
        Random random = new Random(7);
        NeuronGrad.LossGradient grad = new NeuronGrad.LossGradient();
        for (int trial = 0; trial < 20; trial++) {
            double[] w = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double b = 2 * random.nextGaussian();
            NeuronGrad.loss(w, b, DATA.X(), DATA.y(), grad);
            for (int j = 0; j < w.length; j++) {
                assertClose(NeuronDemo.centralDifferenceW(w, b, DATA, j, 1e-6), grad.w()[j], "dC/dw[" + j + "]");
            }
            assertClose(NeuronDemo.centralDifferenceB(w, b, DATA, 1e-6), grad.b(), "dC/db");
        }
    }

    /** Forward mode (lossJvp) and reverse mode (loss) agree: the directional derivative is the gradient's dot. */
    @Test
    void forwardModeAgreesWithReverseMode() {
        Random random = new Random(11);
        for (int trial = 0; trial < 10; trial++) {
            double[] w = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double b = random.nextGaussian();
            double[] wDot = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double bDot = random.nextGaussian();
            NeuronGrad.LossGradient grad = NeuronGrad.loss(w, b, DATA.X(), DATA.y());
            NeuronGrad.LossJvp jvp = NeuronGrad.lossJvp(w, b, DATA.X(), DATA.y(), wDot, bDot);
            double expected = grad.b() * bDot;
            double magnitude = Math.abs(grad.b() * bDot);
            for (int j = 0; j < 3; j++) {
                expected += grad.w()[j] * wDot[j];
                magnitude += Math.abs(grad.w()[j] * wDot[j]);
            }
            assertEquals(grad.value(), jvp.value(), 0.0, "the same value");
            assertEquals(expected, jvp.tangent(), 1e-12 * magnitude, "<gradient, tangent>");
        }
    }

    @Test
    void gradientMatchesThePapersClosedForm() {
        // dC/dw = 2/N sum over active units of e_i x_i, dC/db = 2/N sum of e_i, with e_i = w.x_i + b - y_i.
        double[] w = {0.3, 0.8, -1.1};
        double b = 0.2;
        int n = DATA.y().length;
        double[] expectedW = new double[3];
        double expectedB = 0;
        for (int i = 0; i < n; i++) {
            double[] x = DATA.X()[i];
            double z = w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + b;
            if (z > 0) {
                double e = z - DATA.y()[i];
                for (int j = 0; j < 3; j++) {
                    expectedW[j] += 2.0 / n * e * x[j];
                }
                expectedB += 2.0 / n * e;
            }
        }
        NeuronGrad.LossGradient grad = NeuronGrad.loss(w, b, DATA.X(), DATA.y());
        assertArrayEquals(expectedW, grad.w(), 1e-12);
        assertEquals(expectedB, grad.b(), 1e-12);
    }

    @Test
    void reluAtZeroHasDerivativeZeroAsInThePaper() {
        // w = 0, b = 0 puts every unit exactly at z = 0, where d max(0, z)/dz is taken as 0.
        NeuronGrad.LossGradient grad = NeuronGrad.loss(new double[3], 0.0, DATA.X(), DATA.y());
        assertArrayEquals(new double[3], grad.w(), 0.0);
        assertEquals(0.0, grad.b(), 0.0);
    }

    @Test
    void warmCallsReuseTheResultAndAllocateNothing() {
        double[] w = {1, 1, 1};
        NeuronGrad.LossGradient grad = NeuronGrad.loss(w, 1.0, DATA.X(), DATA.y());
        double[] wBar = grad.w();
        long before = NeuronDemo.allocatedBytes();
        for (int k = 0; k < 1000; k++) {
            NeuronGrad.loss(w, 1.0, DATA.X(), DATA.y(), grad);
        }
        long after = NeuronDemo.allocatedBytes();
        assertSame(wBar, grad.w(), "the gradient array is reused");
        if (before >= 0) {
            // A fresh tape and gradient per call would be several kilobytes each; allow slack for the JVM itself.
            assertTrue(after - before < 4096, "1000 warm calls allocated " + (after - before) + " bytes");
        }
    }

    private static void assertClose(double expected, double actual, String what) {
        double error = NeuronDemo.relativeError(expected, actual);
        assertTrue(error < 1e-6 || Math.abs(expected - actual) < 1e-8,
                what + ": central difference " + expected + ", reverse mode " + actual + ", relative error " + error);
    }
}
