package dev.adjoint.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.DoubleFunction;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Numerical derivatives by central differences, with two independent estimates per component so that points where
 * they cannot be trusted (near a kink or a discontinuity, or where rounding dominates) are detected and reported
 * instead of hidden:
 * <ul>
 *   <li>{@code central}: (g(x+h) − g(x−h)) / (2h) with h = 1e-6·max(1, |x|);</li>
 *   <li>{@code richardson}: (4·D(h/2) − D(h)) / 3 with D the central difference and h = 1e-3·max(1, |x|), which
 *       cancels the h² error term.</li>
 * </ul>
 * The {@link Estimate#value() value} is the Richardson estimate; {@link Estimate#discrepancy()} is the relative
 * difference of the two, and a component is {@link Estimate#reliable(double) reliable} for a tolerance when the
 * discrepancy is well under it and both are finite. Steps are taken as {@code (x+h) − (x−h)} so the denominator is
 * the step actually represented.
 */
public final class FiniteDifferences {
    /** Relative step of the plain central difference. */
    public static final double CENTRAL_STEP = 1e-6;
    /** Relative step of the Richardson-extrapolated estimate. */
    public static final double RICHARDSON_STEP = 1e-3;

    private FiniteDifferences() {}

    /**
     * One numerical partial derivative.
     *
     * @param label       which component, e.g. {@code x}, {@code w[3]}, {@code X[1][2]}
     * @param central     the central difference with the small step
     * @param richardson  the Richardson-extrapolated central difference with the large step
     * @param midpoint    the mean of the two values the plain central difference takes, (g(x+h) + g(x−h)) / 2
     */
    public record Estimate(String label, double central, double richardson, double midpoint) {
        /** The best estimate (Richardson's). */
        public double value() {
            return richardson;
        }

        /** The relative difference of the two estimates, {@link #relativeError}-style; NaN if either is not finite. */
        public double discrepancy() {
            if (!Double.isFinite(central) || !Double.isFinite(richardson)) {
                return Double.NaN;
            }
            return relativeError(central, richardson);
        }

        /**
         * Whether {@code g(x)} (given) lies where its neighbours say it should: |g(x) − midpoint| ≤ 1e-8·max(1,
         * |g(x)|). For a smooth g the gap is h²·|g''|/2, about 5e-13·|g''|; it is large only where g jumps at the
         * point itself, as when a branch is decided by rounding (tan(tanh(u)) ≤ u near u = 0 holds or fails by an
         * ulp): then neither estimate, which never evaluates g at x, says anything about the derivative there.
         */
        public boolean continuousAt(double valueAtPoint) {
            if (!Double.isFinite(valueAtPoint) || !Double.isFinite(midpoint)) {
                return true;   // left to reliable(), which is false for non-finite estimates
            }
            return Math.abs(valueAtPoint - midpoint) <= 1e-8 * Math.max(1, Math.abs(valueAtPoint));
        }

        /** Whether both estimates are finite and agree to within a quarter of {@code tolerance}. */
        public boolean reliable(double tolerance) {
            double d = discrepancy();
            return d <= tolerance / 4;   // false for NaN
        }
    }

    /** |a − b| / max(1, |a|, |b|): absolute near zero, relative elsewhere. NaN when either is NaN. */
    public static double relativeError(double a, double b) {
        if (a == b) {
            return 0;   // also equal infinities
        }
        return Math.abs(a - b) / Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }

    /** Whether {@link #relativeError}(a, b) ≤ tolerance. */
    public static boolean close(double a, double b, double tolerance) {
        return relativeError(a, b) <= tolerance;
    }

    /** The derivative of a function of one variable at {@code x}. */
    public static Estimate derivative(DoubleUnaryOperator g, double x) {
        return derivative("x", g, x);
    }

    /** The derivative of a function of one variable at {@code x}, labelled. */
    public static Estimate derivative(String label, DoubleUnaryOperator g, double x) {
        double scale = Math.max(1, Math.abs(x));
        double[] mid = new double[1];
        double central = central(g, x, CENTRAL_STEP * scale, mid);
        double h = RICHARDSON_STEP * scale;
        double coarse = central(g, x, h, null);
        double fine = central(g, x, h / 2, null);
        double richardson = (4 * fine - coarse) / 3;
        return new Estimate(label, central, richardson, mid[0]);
    }

    private static double central(DoubleUnaryOperator g, double x, double h, double[] mid) {
        double up = x + h;
        double down = x - h;
        double a = g.applyAsDouble(up);
        double b = g.applyAsDouble(down);
        if (mid != null) {
            mid[0] = (a + b) / 2;
        }
        return (a - b) / (up - down);
    }

    /**
     * The partial derivatives of {@code f} with respect to every component of the argument {@code args[index]},
     * which must be a {@code Double}, a {@code double[]} or a {@code double[][]}; in row-major order. {@code f} is
     * called with deep copies of {@code args} in which one component is moved; {@code args} is not changed.
     *
     * @param name the parameter's name, for the labels
     */
    public static List<Estimate> partials(ToDoubleFunction<Object[]> f, Object[] args, int index, String name) {
        Object a = args[index];
        List<Estimate> out = new ArrayList<>();
        if (a instanceof Double) {
            out.add(derivative(name, x -> f.applyAsDouble(with(args, index, x)), (Double) a));
        } else if (a instanceof double[]) {
            double[] v = (double[]) a;
            for (int i = 0; i < v.length; i++) {
                int k = i;
                out.add(derivative(name + "[" + i + "]", x -> {
                    Object[] copy = Grad.deepCopy(args);
                    ((double[]) copy[index])[k] = x;
                    return f.applyAsDouble(copy);
                }, v[i]));
            }
        } else if (a instanceof double[][]) {
            double[][] m = (double[][]) a;
            for (int i = 0; i < m.length; i++) {
                for (int j = 0; j < m[i].length; j++) {
                    int r = i;
                    int c = j;
                    out.add(derivative(name + "[" + i + "][" + j + "]", x -> {
                        Object[] copy = Grad.deepCopy(args);
                        ((double[][]) copy[index])[r][c] = x;
                        return f.applyAsDouble(copy);
                    }, m[i][j]));
                }
            }
        } else {
            throw new IllegalArgumentException("argument " + index + " (" + name + ") is not a double, double[] or"
                    + " double[][]: " + a);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The derivatives of every output of a function of one variable with {@code outputs} results at {@code x}: the
     * same two estimates as {@link #derivative(String, DoubleUnaryOperator, double)}, from one call of {@code g} per
     * step for all outputs. An output whose length is not {@code outputs} at a step gives NaN estimates.
     */
    public static Estimate[] derivatives(String label, DoubleFunction<double[]> g, double x, int outputs) {
        double scale = Math.max(1, Math.abs(x));
        double[] mid = new double[outputs];
        double[] central = central(g, x, CENTRAL_STEP * scale, outputs, mid);
        double h = RICHARDSON_STEP * scale;
        double[] coarse = central(g, x, h, outputs, null);
        double[] fine = central(g, x, h / 2, outputs, null);
        Estimate[] out = new Estimate[outputs];
        for (int i = 0; i < outputs; i++) {
            out[i] = new Estimate(label, central[i], (4 * fine[i] - coarse[i]) / 3, mid[i]);
        }
        return out;
    }

    private static double[] central(DoubleFunction<double[]> g, double x, double h, int outputs, double[] mid) {
        double up = x + h;
        double down = x - h;
        double[] a = g.apply(up);
        double[] b = g.apply(down);
        double[] d = new double[outputs];
        for (int i = 0; i < outputs; i++) {
            boolean shaped = a.length == outputs && b.length == outputs;
            d[i] = shaped ? (a[i] - b[i]) / (up - down) : Double.NaN;
            if (mid != null) {
                mid[i] = shaped ? (a[i] + b[i]) / 2 : Double.NaN;
            }
        }
        return d;
    }

    /**
     * The Jacobian columns of a {@code double[]}-valued {@code f} with {@code outputs} results with respect to every
     * component of {@code args[index]} (a {@code Double}, {@code double[]} or {@code double[][]}), in row-major
     * order: one estimate per output for each component. As {@link #partials}, on deep copies.
     */
    public static List<Estimate[]> columns(Function<Object[], double[]> f, Object[] args, int index, String name,
            int outputs) {
        Object a = args[index];
        List<Estimate[]> out = new ArrayList<>();
        if (a instanceof Double) {
            out.add(derivatives(name, x -> f.apply(with(args, index, x)), (Double) a, outputs));
        } else if (a instanceof double[]) {
            double[] v = (double[]) a;
            for (int i = 0; i < v.length; i++) {
                int k = i;
                out.add(derivatives(name + "[" + i + "]", x -> {
                    Object[] copy = Grad.deepCopy(args);
                    ((double[]) copy[index])[k] = x;
                    return f.apply(copy);
                }, v[i], outputs));
            }
        } else if (a instanceof double[][]) {
            double[][] m = (double[][]) a;
            for (int i = 0; i < m.length; i++) {
                for (int j = 0; j < m[i].length; j++) {
                    int r = i;
                    int c = j;
                    out.add(derivatives(name + "[" + i + "][" + j + "]", x -> {
                        Object[] copy = Grad.deepCopy(args);
                        ((double[][]) copy[index])[r][c] = x;
                        return f.apply(copy);
                    }, m[i][j], outputs));
                }
            }
        } else {
            throw new IllegalArgumentException("argument " + index + " (" + name + ") is not a double, double[] or"
                    + " double[][]: " + a);
        }
        return Collections.unmodifiableList(out);
    }

    private static Object[] with(Object[] args, int index, double x) {
        Object[] copy = Grad.deepCopy(args);
        copy[index] = x;
        return copy;
    }

    /** The components of a gradient value ({@code Double}, {@code double[]}, {@code double[][]}) in row-major order. */
    public static double[] flatten(Object gradient) {
        if (gradient instanceof Double) {
            return new double[] {(Double) gradient};
        }
        if (gradient instanceof double[]) {
            return ((double[]) gradient).clone();
        }
        if (gradient instanceof double[][]) {
            double[][] m = (double[][]) gradient;
            int n = 0;
            for (double[] row : m) {
                n += row.length;
            }
            double[] out = new double[n];
            int k = 0;
            for (double[] row : m) {
                System.arraycopy(row, 0, out, k, row.length);
                k += row.length;
            }
            return out;
        }
        throw new IllegalArgumentException("not a double, double[] or double[][]: " + gradient);
    }
}
