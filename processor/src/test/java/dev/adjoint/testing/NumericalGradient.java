package dev.adjoint.testing;

import java.lang.reflect.Method;

/**
 * Runtime support of {@link NumericalGradProcessor}'s stand-in gradients: the partial derivatives of a method by
 * three-level Richardson-extrapolated central differences (error O(h⁶)). Only for testing the tests.
 */
public final class NumericalGradient {
    private NumericalGradient() {}

    /** The static method {@code name(types)} of {@code owner}, made accessible. */
    public static Method method(Class<?> owner, String name, Class<?>... types) {
        try {
            Method m = owner.getDeclaredMethod(name, types);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Calls {@code m(args)}, rethrowing what it throws. */
    public static double call(Method m, Object[] args) {
        return (Double) Grad.invoke(m, null, args);
    }

    /** ∂m/∂args[index] for a double argument. */
    public static double partial(Method m, Object[] args, int index) {
        double x = (Double) args[index];
        return derivative(t -> {
            Object[] copy = Grad.deepCopy(args);
            copy[index] = t;
            return call(m, copy);
        }, x);
    }

    /** ∂m/∂args[index] for a double[] argument, written into {@code into} when its length fits. */
    public static double[] partial(Method m, Object[] args, int index, double[] into) {
        double[] v = (double[]) args[index];
        double[] out = into != null && into.length == v.length ? into : new double[v.length];
        for (int i = 0; i < v.length; i++) {
            int k = i;
            out[i] = derivative(t -> {
                Object[] copy = Grad.deepCopy(args);
                ((double[]) copy[index])[k] = t;
                return call(m, copy);
            }, v[i]);
        }
        return out;
    }

    /** ∂m/∂args[index] for a double[][] argument, written into {@code into} (and its rows) when the shape fits. */
    public static double[][] partial(Method m, Object[] args, int index, double[][] into) {
        double[][] a = (double[][]) args[index];
        double[][] out = into != null && into.length == a.length ? into : new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            if (out[i] == null || out[i].length != a[i].length) {
                out[i] = new double[a[i].length];
            }
            for (int j = 0; j < a[i].length; j++) {
                int r = i;
                int c = j;
                out[i][j] = derivative(t -> {
                    Object[] copy = Grad.deepCopy(args);
                    ((double[][]) copy[index])[r][c] = t;
                    return call(m, copy);
                }, a[i][j]);
            }
        }
        return out;
    }

    static double derivative(java.util.function.DoubleUnaryOperator g, double x) {
        double h = 4e-3 * Math.max(1, Math.abs(x));
        double d1 = central(g, x, h);
        double d2 = central(g, x, h / 2);
        double d3 = central(g, x, h / 4);
        double r1 = (4 * d2 - d1) / 3;
        double r2 = (4 * d3 - d2) / 3;
        return (16 * r2 - r1) / 15;
    }

    private static double central(java.util.function.DoubleUnaryOperator g, double x, double h) {
        double up = x + h;
        double down = x - h;
        return (g.applyAsDouble(up) - g.applyAsDouble(down)) / (up - down);
    }

    /** @return Σ gradient·tangent over the components of a {@code Double}, {@code double[]} or {@code double[][]} */
    public static double dot(Object gradient, Object tangent) {
        double[] g = FiniteDifferences.flatten(gradient);
        double[] t = FiniteDifferences.flatten(tangent);
        double s = 0;
        for (int i = 0; i < g.length; i++) {
            s += g[i] * t[i];
        }
        return s;
    }
}
