package dev.adjoint.gradbench;

import java.util.function.ToDoubleFunction;

/** Central finite differences, the independent check of every generated derivative in these tests. */
public final class Differences {
    private Differences() {
    }

    /** ∂f/∂xₖ for every k by (f(x + h eₖ) − f(x − h eₖ)) / 2h, with h scaled to |xₖ|. */
    public static double[] gradient(ToDoubleFunction<double[]> f, double[] x) {
        double[] g = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            double h = 1e-5 * Math.max(1, Math.abs(x[k]));
            double[] p = x.clone();
            double[] m = x.clone();
            p[k] += h;
            m[k] -= h;
            g[k] = (f.applyAsDouble(p) - f.applyAsDouble(m)) / (2 * h);
        }
        return g;
    }

    /** Asserts |a − e| ≤ tol·max(1, |e|) element by element, naming the first element that is not. */
    public static void assertClose(double[] expected, double[] actual, double tol, String what) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": " + actual.length + " elements, expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])))) {
                throw new AssertionError(what + "[" + i + "]: " + actual[i] + ", expected " + expected[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }
}
