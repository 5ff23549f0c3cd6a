package dev.adjoint.benchmarks.perceptron;

import dev.adjoint.Differentiable;

/**
 * A two-layer perceptron's mini-batch loss: n inputs, h tanh units, o linear outputs, and the mean over the batch
 * of the squared error of the outputs against the targets. The processor writes {@code PerceptronGrad} from it at
 * this module's compile time.
 */
public final class Perceptron {
    private Perceptron() {}

    /**
     * L = 1/B Σᵢ ‖W2 tanh(W1 xᵢ + b1) + b2 − yᵢ‖².
     *
     * @param W1 the hidden layer's weights, h rows of n
     * @param b1 the hidden layer's biases, h
     * @param W2 the output layer's weights, o rows of h
     * @param b2 the output layer's biases, o
     * @param X the inputs, B rows of n
     * @param Y the targets, B rows of o
     * @return the mean over the batch of the squared error
     */
    @Differentiable(wrt = {"W1", "b1", "W2", "b2"})
    public static double loss(double[][] W1, double[] b1, double[][] W2, double[] b2, double[][] X, double[][] Y) {
        int hidden = b1.length;
        int outputs = b2.length;
        double[] a = new double[hidden];
        double cost = 0;
        for (int i = 0; i < X.length; i++) {
            for (int j = 0; j < hidden; j++) {
                double z = b1[j];
                for (int k = 0; k < X[i].length; k++) {
                    z += W1[j][k] * X[i][k];
                }
                a[j] = Math.tanh(z);
            }
            for (int k = 0; k < outputs; k++) {
                double out = b2[k];
                for (int j = 0; j < hidden; j++) {
                    out += W2[k][j] * a[j];
                }
                double e = out - Y[i][k];
                cost += e * e;
            }
        }
        return cost / X.length;
    }
}
