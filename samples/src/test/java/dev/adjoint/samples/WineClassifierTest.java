package dev.adjoint.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The perceptron sample end to end: {@code PerceptronGrad} was written by the processor for the instance method
 * {@link Perceptron#loss} during this module's ordinary Maven compile, and trains the model on the Wine data.
 */
class WineClassifierTest {
    @Test
    void theDataSetIsTheUciWineData() {
        WineClassifier.Data all = WineClassifier.load();
        assertEquals(178, all.y().length);
        int[] counts = new int[3];
        for (int y : all.y()) {
            counts[y]++;
        }
        assertEquals(59, counts[0]);
        assertEquals(71, counts[1]);
        assertEquals(48, counts[2]);
        assertEquals(14.23, all.x()[0][0], 0.0);
        assertEquals(1065, all.x()[0][12], 0.0);
    }

    @Test
    void trainingReachesTheStatedTestAccuracy() {
        WineClassifier.Split split = WineClassifier.split(WineClassifier.load(), WineClassifier.SPLIT_SEED,
                WineClassifier.TEST_SHARE);
        assertEquals(53, split.test().y().length);
        Perceptron model = Perceptron.random(13, WineClassifier.HIDDEN, 3, WineClassifier.WEIGHT_SEED);
        double before = model.loss(split.train().x(), split.train().y());
        double last = WineClassifier.train(model, split.train(), WineClassifier.STEPS, WineClassifier.LEARNING_RATE,
                false);
        assertTrue(last < 0.01 && last < before / 100, "loss " + before + " -> " + last);
        double test = model.accuracy(split.test().x(), split.test().y());
        assertTrue(test >= WineClassifier.STATED_TEST_ACCURACY, "test accuracy " + test);
        assertTrue(model.accuracy(split.train().x(), split.train().y()) >= 0.99);
    }

    /** The generated gradient against central differences at seeded random weights, on a few standardized wines. */
    @Test
    void generatedGradientMatchesCentralDifferences() {
        WineClassifier.Split split = WineClassifier.split(WineClassifier.load(), WineClassifier.SPLIT_SEED,
                WineClassifier.TEST_SHARE);
        double[][] xs = java.util.Arrays.copyOf(split.train().x(), 12);
        int[] ys = java.util.Arrays.copyOf(split.train().y(), 12);
        Random random = new Random(99);
        for (int point = 0; point < 3; point++) {
            Perceptron model = Perceptron.random(13, 5, 3, random.nextLong());
            for (double[] b : new double[][] {model.b1, model.b2}) {
                for (int i = 0; i < b.length; i++) {
                    b[i] = 0.3 * random.nextGaussian();
                }
            }
            PerceptronGrad.LossGradient g = PerceptronGrad.loss(model, xs, ys);
            assertEquals(model.loss(xs, ys), g.value(), 0.0, "value() is the original method's value");
            check(model, model.w1, g.w1(), xs, ys);
            check(model, new double[][] {model.b1}, new double[][] {g.b1()}, xs, ys);
            check(model, model.w2, g.w2(), xs, ys);
            check(model, new double[][] {model.b2}, new double[][] {g.b2()}, xs, ys);
        }
    }

    private static void check(Perceptron model, double[][] weights, double[][] gradient, double[][] xs, int[] ys) {
        for (int r = 0; r < weights.length; r++) {
            for (int c = 0; c < weights[r].length; c++) {
                double saved = weights[r][c];
                double h = 1e-6;
                weights[r][c] = saved + h;
                double up = model.loss(xs, ys);
                weights[r][c] = saved - h;
                double down = model.loss(xs, ys);
                weights[r][c] = saved;
                double central = (up - down) / (2 * h);
                assertEquals(central, gradient[r][c], 1e-7 + 1e-6 * Math.abs(central), "[" + r + "][" + c + "]");
            }
        }
    }
}
