package dev.adjoint;

/**
 * Marks a value as constant inside {@code @Differentiable} code: its value is used, its derivative is not (JAX's
 * {@code stop_gradient}, Swift's {@code withoutDerivative(at:)}). Adjoint gives the result of {@code of} no
 * derivative, whatever its argument depends on:
 * <pre>{@code
 * double scale = WithoutDerivative.of(norm(w));   // w's gradient does not flow through scale
 * return dot(w, x) / scale;
 * }</pre>
 * For arrays it returns a copy, so that the constant and the original never share elements (a write into one would
 * otherwise change the other behind the derivative's back).
 */
public final class WithoutDerivative {
    private WithoutDerivative() {}

    /** @return {@code x}, with no derivative */
    public static double of(double x) {
        return x;
    }

    /** @return a copy of {@code x}, with no derivative */
    public static double[] of(double[] x) {
        return x == null ? null : x.clone();
    }

    /** @return a copy of {@code x}, its rows copied too, with no derivative */
    public static double[][] of(double[][] x) {
        if (x == null) {
            return null;
        }
        double[][] copy = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            copy[i] = x[i] == null ? null : x[i].clone();
        }
        return copy;
    }
}
