package dev.adjoint.samples;

import dev.adjoint.Differentiable;
import java.util.Random;

/**
 * A two-layer perceptron as an object: a tanh hidden layer and a softmax output, its weights in fields. The loss is
 * an instance method whose gradient Adjoint writes at compile time with respect to the four weight fields
 * ({@code PerceptronGrad.loss(model, xs, labels)}, accessors {@code w1()}, {@code b1()}, {@code w2()},
 * {@code b2()}).
 */
public final class Perceptron {
    /** Hidden-layer weights, one row per hidden unit. */
    final double[][] w1;
    /** Hidden-layer biases. */
    final double[] b1;
    /** Output weights, one row per class. */
    final double[][] w2;
    /** Output biases. */
    final double[] b2;

    /** A perceptron with these weights (not copied: training updates them in place). */
    Perceptron(double[][] w1, double[] b1, double[][] w2, double[] b2) {
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
    }

    /** Small random weights (Glorot-scaled normal), zero biases, from a seed. */
    static Perceptron random(int inputs, int hidden, int classes, long seed) {
        Random random = new Random(seed);
        double[][] w1 = new double[hidden][inputs];
        double[][] w2 = new double[classes][hidden];
        for (double[] row : w1) {
            for (int i = 0; i < inputs; i++) {
                row[i] = random.nextGaussian() * Math.sqrt(2.0 / (inputs + hidden));
            }
        }
        for (double[] row : w2) {
            for (int j = 0; j < hidden; j++) {
                row[j] = random.nextGaussian() * Math.sqrt(2.0 / (hidden + classes));
            }
        }
        return new Perceptron(w1, new double[hidden], w2, new double[classes]);
    }

    /**
     * The mean softmax cross-entropy of the labels over the samples: for each sample, log(sum_k exp(o_k)) - o_y,
     * where o = w2 tanh(w1 x + b1) + b2 are the output scores and y the label.
     *
     * @param xs     the samples, one row each
     * @param labels their classes, 0 .. classes - 1
     * @return the mean loss
     */
    @Differentiable(wrt = {"this.w1", "this.b1", "this.w2", "this.b2"})
    double loss(double[][] xs, int[] labels) {
        double total = 0;
        for (int n = 0; n < xs.length; n++) {
            double[] x = xs[n];
            double[] h = new double[b1.length];
            for (int j = 0; j < h.length; j++) {
                double z = b1[j];
                for (int i = 0; i < x.length; i++) {
                    z += w1[j][i] * x[i];
                }
                h[j] = Math.tanh(z);
            }
            double[] o = new double[b2.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < o.length; k++) {
                double s = b2[k];
                for (int j = 0; j < h.length; j++) {
                    s += w2[k][j] * h[j];
                }
                o[k] = s;
                if (s > max) {
                    max = s;
                }
            }
            // log-sum-exp shifted by the largest score, so that exp never overflows
            double sum = 0;
            for (int k = 0; k < o.length; k++) {
                sum += Math.exp(o[k] - max);
            }
            total += Math.log(sum) + max - o[labels[n]];
        }
        return total / xs.length;
    }

    /** @return the class with the largest score for one sample */
    int predict(double[] x) {
        double[] h = new double[b1.length];
        for (int j = 0; j < h.length; j++) {
            double z = b1[j];
            for (int i = 0; i < x.length; i++) {
                z += w1[j][i] * x[i];
            }
            h[j] = Math.tanh(z);
        }
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < b2.length; k++) {
            double s = b2[k];
            for (int j = 0; j < h.length; j++) {
                s += w2[k][j] * h[j];
            }
            if (s > bestScore) {
                bestScore = s;
                best = k;
            }
        }
        return best;
    }

    /** @return the fraction of the samples whose class {@link #predict} gets right */
    double accuracy(double[][] xs, int[] labels) {
        int right = 0;
        for (int n = 0; n < xs.length; n++) {
            if (predict(xs[n]) == labels[n]) {
                right++;
            }
        }
        return (double) right / xs.length;
    }
}
