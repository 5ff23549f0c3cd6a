package dev.adjoint.benchmarks.perceptron;

import org.hipparchus.analysis.differentiation.Gradient;

/**
 * The perceptron's loss in Hipparchus' forward mode: {@link Perceptron#loss} written over {@link Gradient},
 * operation for operation, with all P = hn + h + oh + o parameters free at once, so that one evaluation carries
 * the whole gradient (each operation on P partials, each result a new array of P). As in {@code HipparchusGmm},
 * no {@code GradientField} is made (its cache grows as the cube of the parameter count: gigabytes at the
 * benchmarked P = 2410); {@link Gradient#variable} and {@link Gradient#constant} need none.
 */
public final class HipparchusPerceptron {
    private HipparchusPerceptron() {}

    /**
     * Computes the loss as a {@link Gradient}: its value and its partials in the layout of
     * {@link PerceptronData#flat}.
     *
     * @param d the arguments
     * @return the loss with its P partials
     */
    public static Gradient loss(PerceptronData d) {
        return loss(d.W1(), d.b1(), d.W2(), d.b2(), d.X(), d.Y());
    }

    /**
     * Computes the loss as a {@link Gradient}, the parameters made variables in the layout of
     * {@link PerceptronData#flat}.
     *
     * @param W1 h rows of n
     * @param b1 h
     * @param W2 o rows of h
     * @param b2 o
     * @param X B rows of n (constants)
     * @param Y B rows of o (constants)
     * @return the loss with its partials
     */
    public static Gradient loss(double[][] W1, double[] b1, double[][] W2, double[] b2, double[][] X,
            double[][] Y) {
        int hidden = b1.length;
        int outputs = b2.length;
        int inputs = W1[0].length;
        int p = hidden * inputs + hidden + outputs * hidden + outputs;
        int next = 0;
        Gradient[][] W1v = new Gradient[hidden][inputs];
        for (int j = 0; j < hidden; j++) {
            for (int k = 0; k < inputs; k++) {
                W1v[j][k] = Gradient.variable(p, next++, W1[j][k]);
            }
        }
        Gradient[] b1v = new Gradient[hidden];
        for (int j = 0; j < hidden; j++) {
            b1v[j] = Gradient.variable(p, next++, b1[j]);
        }
        Gradient[][] W2v = new Gradient[outputs][hidden];
        for (int k = 0; k < outputs; k++) {
            for (int j = 0; j < hidden; j++) {
                W2v[k][j] = Gradient.variable(p, next++, W2[k][j]);
            }
        }
        Gradient[] b2v = new Gradient[outputs];
        for (int k = 0; k < outputs; k++) {
            b2v[k] = Gradient.variable(p, next++, b2[k]);
        }

        Gradient[] a = new Gradient[hidden];
        Gradient cost = Gradient.constant(p, 0);
        for (int i = 0; i < X.length; i++) {
            double[] x = X[i];
            for (int j = 0; j < hidden; j++) {
                Gradient z = b1v[j];
                for (int k = 0; k < inputs; k++) {
                    z = z.add(W1v[j][k].multiply(x[k]));
                }
                a[j] = z.tanh();
            }
            for (int k = 0; k < outputs; k++) {
                Gradient out = b2v[k];
                for (int j = 0; j < hidden; j++) {
                    out = out.add(W2v[k][j].multiply(a[j]));
                }
                Gradient e = out.subtract(Y[i][k]);
                cost = cost.add(e.multiply(e));
            }
        }
        return cost.divide(X.length);
    }
}
