package dev.adjoint.benchmarks.neuron;

import java.util.Random;

/**
 * Seeded random data for the neuron: N samples of n standard normal features, targets from a hidden neuron plus
 * noise, and a point (w, b) away from the hidden one, where about half the samples are active (z &gt; 0).
 *
 * @param X the inputs, N rows of n
 * @param y the targets, N
 * @param w the weights at which the gradient is taken, n
 * @param b the bias at which the gradient is taken
 */
public record NeuronData(double[][] X, double[] y, double[] w, double b) {
    /** The number of samples benchmarked. */
    public static final int SAMPLES = 10_000;
    /** The number of features benchmarked. */
    public static final int FEATURES = 100;
    /** The seed of the benchmarked data. */
    public static final long SEED = 20261202L;

    /**
     * Returns the benchmarked data: {@link #SAMPLES} by {@link #FEATURES} from {@link #SEED}.
     *
     * @return the data
     */
    public static NeuronData standard() {
        return random(SAMPLES, FEATURES, SEED);
    }

    /**
     * Returns N samples of n features drawn from the seed.
     *
     * @param samples N
     * @param features n
     * @param seed the seed of {@link Random}
     * @return the data
     */
    public static NeuronData random(int samples, int features, long seed) {
        Random random = new Random(seed);
        double scale = 1 / Math.sqrt(features);
        double[] trueW = new double[features];
        for (int j = 0; j < features; j++) {
            trueW[j] = scale * random.nextGaussian();
        }
        double trueB = 0.1;
        double[][] X = new double[samples][features];
        double[] y = new double[samples];
        for (int i = 0; i < samples; i++) {
            double z = trueB;
            for (int j = 0; j < features; j++) {
                X[i][j] = random.nextGaussian();
                z += trueW[j] * X[i][j];
            }
            y[i] = Math.max(0, z) + 0.1 * random.nextGaussian();
        }
        double[] w = new double[features];
        for (int j = 0; j < features; j++) {
            w[j] = trueW[j] + 0.5 * scale * random.nextGaussian();
        }
        return new NeuronData(X, y, w, trueB + 0.2);
    }
}
