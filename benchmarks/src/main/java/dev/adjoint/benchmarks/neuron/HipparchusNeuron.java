package dev.adjoint.benchmarks.neuron;

import org.hipparchus.analysis.differentiation.Gradient;
import org.hipparchus.analysis.differentiation.GradientField;

/**
 * The neuron's loss in Hipparchus' forward mode: the primal written over {@link Gradient}, with all n + 1
 * parameters as free parameters, so one evaluation carries the whole gradient (each operation on n + 1 partials).
 * The field is made once, by the caller, outside the measured code.
 */
public final class HipparchusNeuron {
    private HipparchusNeuron() {}

    /**
     * Returns the field of n + 1 free parameters, once per shape.
     *
     * @param n the number of weights
     * @return {@code GradientField.getField(n + 1)}
     */
    public static GradientField field(int n) {
        return GradientField.getField(n + 1);
    }

    /**
     * Computes C(w, b) as a {@link Gradient}: its value and its partials, w's first and b's last.
     *
     * @param field the field of {@code w.length + 1} parameters
     * @param w the weights
     * @param b the bias
     * @param X the inputs
     * @param y the targets
     * @return C with its n + 1 partials
     */
    public static Gradient loss(GradientField field, double[] w, double b, double[][] X, double[] y) {
        int n = w.length;
        int p = field.getZero().getFreeParameters();
        Gradient[] wv = new Gradient[n];
        for (int j = 0; j < n; j++) {
            wv[j] = Gradient.variable(p, j, w[j]);
        }
        Gradient bv = Gradient.variable(p, n, b);
        Gradient zero = field.getZero();
        Gradient cost = zero;
        for (int i = 0; i < X.length; i++) {
            double[] x = X[i];
            Gradient z = bv;
            for (int j = 0; j < n; j++) {
                z = z.add(wv[j].multiply(x[j]));
            }
            Gradient a = z.getValue() > 0 ? z : zero;
            Gradient e = a.negate().add(y[i]);
            cost = cost.add(e.multiply(e));
        }
        return cost.divide(X.length);
    }
}
