package dev.adjoint.benchmarks.perceptron;

import java.util.Arrays;
import java.util.Random;

/**
 * Seeded random data for the perceptron: a batch of B standard normal inputs, targets from a hidden perceptron of
 * the same shape plus noise, and a point (W1, b1, W2, b2) drawn afresh at the usual initial scale (1/√fan-in), so
 * the loss is away from its minimum and the tanh units are mostly unsaturated.
 *
 * @param W1 the hidden layer's weights at which the gradient is taken, h rows of n
 * @param b1 the hidden layer's biases, h
 * @param W2 the output layer's weights, o rows of h
 * @param b2 the output layer's biases, o
 * @param X the inputs, B rows of n
 * @param Y the targets, B rows of o
 */
public record PerceptronData(double[][] W1, double[] b1, double[][] W2, double[] b2, double[][] X, double[][] Y) {
    /** The batch size benchmarked. */
    public static final int BATCH = 128;
    /** The number of inputs benchmarked. */
    public static final int INPUTS = 64;
    /** The number of hidden units benchmarked. */
    public static final int HIDDEN = 32;
    /** The number of outputs benchmarked. */
    public static final int OUTPUTS = 10;
    /** The seed of the benchmarked data. */
    public static final long SEED = 20261203L;

    /**
     * Returns the benchmarked data: {@link #BATCH} samples, {@link #INPUTS}, {@link #HIDDEN}, {@link #OUTPUTS},
     * from {@link #SEED}.
     *
     * @return the data
     */
    public static PerceptronData standard() {
        return random(BATCH, INPUTS, HIDDEN, OUTPUTS, SEED);
    }

    /**
     * Returns a batch and a point of the given shape drawn from the seed.
     *
     * @param batch B
     * @param inputs n
     * @param hidden h
     * @param outputs o
     * @param seed the seed of {@link Random}
     * @return the data
     */
    public static PerceptronData random(int batch, int inputs, int hidden, int outputs, long seed) {
        Random random = new Random(seed);
        double[][] trueW1 = gaussian(random, hidden, inputs, 1 / Math.sqrt(inputs));
        double[] trueB1 = gaussian(random, 1, hidden, 0.1)[0];
        double[][] trueW2 = gaussian(random, outputs, hidden, 1 / Math.sqrt(hidden));
        double[] trueB2 = gaussian(random, 1, outputs, 0.1)[0];
        double[][] X = gaussian(random, batch, inputs, 1);
        double[][] Y = new double[batch][];
        for (int i = 0; i < batch; i++) {
            Y[i] = forward(trueW1, trueB1, trueW2, trueB2, X[i]);
            for (int k = 0; k < outputs; k++) {
                Y[i][k] += 0.1 * random.nextGaussian();
            }
        }
        double[][] W1 = gaussian(random, hidden, inputs, 1 / Math.sqrt(inputs));
        double[] b1 = gaussian(random, 1, hidden, 0.1)[0];
        double[][] W2 = gaussian(random, outputs, hidden, 1 / Math.sqrt(hidden));
        double[] b2 = gaussian(random, 1, outputs, 0.1)[0];
        return new PerceptronData(W1, b1, W2, b2, X, Y);
    }

    /** The outputs of the perceptron (W1, b1, W2, b2) at one input. */
    private static double[] forward(double[][] W1, double[] b1, double[][] W2, double[] b2, double[] x) {
        double[] a = new double[b1.length];
        for (int j = 0; j < a.length; j++) {
            double z = b1[j];
            for (int k = 0; k < x.length; k++) {
                z += W1[j][k] * x[k];
            }
            a[j] = Math.tanh(z);
        }
        double[] out = b2.clone();
        for (int k = 0; k < out.length; k++) {
            for (int j = 0; j < a.length; j++) {
                out[k] += W2[k][j] * a[j];
            }
        }
        return out;
    }

    private static double[][] gaussian(Random random, int rows, int cols, double scale) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = scale * random.nextGaussian();
            }
        }
        return a;
    }

    /**
     * Returns the same point with only the first samples of the batch.
     *
     * @param samples how many
     * @return this, if that is all of them; else a new record sharing the parameters and those rows
     */
    public PerceptronData firstSamples(int samples) {
        return samples == X.length ? this
                : new PerceptronData(W1, b1, W2, b2, Arrays.copyOf(X, samples), Arrays.copyOf(Y, samples));
    }

    /**
     * Returns the batch size.
     *
     * @return B
     */
    public int batch() {
        return X.length;
    }

    /**
     * Returns the number of inputs.
     *
     * @return n
     */
    public int inputs() {
        return W1[0].length;
    }

    /**
     * Returns the number of hidden units.
     *
     * @return h
     */
    public int hidden() {
        return b1.length;
    }

    /**
     * Returns the number of outputs.
     *
     * @return o
     */
    public int outputs() {
        return b2.length;
    }

    /**
     * Returns the number of parameters differentiated.
     *
     * @return h n + h + o h + o
     */
    public int parameters() {
        return hidden() * inputs() + hidden() + outputs() * hidden() + outputs();
    }

    /**
     * Returns the primal at these arguments.
     *
     * @return {@link Perceptron#loss}
     */
    public double loss() {
        return Perceptron.loss(W1, b1, W2, b2, X, Y);
    }

    /**
     * Returns a gradient in the flat layout of every contender here: W1 row by row, b1, W2 row by row, b2.
     *
     * @param W1 ∂L/∂W1
     * @param b1 ∂L/∂b1
     * @param W2 ∂L/∂W2
     * @param b2 ∂L/∂b2
     * @return all partials in one array
     */
    public static double[] flat(double[][] W1, double[] b1, double[][] W2, double[] b2) {
        int size = W1.length * W1[0].length + b1.length + W2.length * W2[0].length + b2.length;
        double[] out = new double[size];
        int at = 0;
        for (double[] row : W1) {
            System.arraycopy(row, 0, out, at, row.length);
            at += row.length;
        }
        System.arraycopy(b1, 0, out, at, b1.length);
        at += b1.length;
        for (double[] row : W2) {
            System.arraycopy(row, 0, out, at, row.length);
            at += row.length;
        }
        System.arraycopy(b2, 0, out, at, b2.length);
        return out;
    }
}
