package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * Gradient buffers for generated code: zeroed arrays in the shape of a parameter, reusing a previous result's
 * array when its shape still fits, so that a warm call allocates nothing.
 */
public final class Buffers {
    private Buffers() {}

    /**
     * @param reuse an earlier buffer, or null
     * @param shape the array whose shape the buffer takes, or null
     * @return {@code reuse} zeroed if it has {@code shape}'s length, else a new zeroed array; null for a null shape
     */
    public static double[] zeros(double[] reuse, double[] shape) {
        if (shape == null) {
            return null;
        }
        if (reuse != null && reuse.length == shape.length) {
            Arrays.fill(reuse, 0.0);
            return reuse;
        }
        return new double[shape.length];
    }

    /**
     * @param reuse an earlier buffer, or null
     * @param shape the matrix whose (possibly ragged) shape the buffer takes, or null
     * @return {@code reuse} zeroed if it has {@code shape}'s shape, else a new zeroed matrix; null for a null shape
     */
    public static double[][] zeros(double[][] reuse, double[][] shape) {
        if (shape == null) {
            return null;
        }
        double[][] out = reuse != null && reuse.length == shape.length ? reuse : new double[shape.length][];
        for (int i = 0; i < shape.length; i++) {
            out[i] = zeros(out[i], shape[i]);
        }
        return out;
    }

    /**
     * @param shape an array, or null
     * @return a new zeroed array of its length, or null
     */
    public static double[] like(double[] shape) {
        return shape == null ? null : new double[shape.length];
    }

    /**
     * @param shape a matrix, or null; null rows stay null
     * @return a new zeroed matrix of its shape, or null
     */
    public static double[][] like(double[][] shape) {
        return zeros(null, shape);
    }
}
