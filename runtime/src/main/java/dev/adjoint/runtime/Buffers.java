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
     * The scratch array of a reusable result, for a local array the original method allocates once per call
     * ({@code new double[length]}): the same zeroed array, without an allocation once the length is the last
     * call's.
     *
     * @param reuse  the result's scratch array from an earlier call, or null
     * @param length the length the original method allocates
     * @return {@code reuse} zeroed if it has that length, else a new zeroed array
     * @throws NegativeArraySizeException if {@code length} is negative, as {@code new double[length]} would
     */
    public static double[] zeros(double[] reuse, int length) {
        if (reuse != null && reuse.length == length) {
            Arrays.fill(reuse, 0.0);
            return reuse;
        }
        return new double[length];
    }

    /**
     * The scratch matrix of a reusable result, for a local matrix the original method allocates once per call
     * ({@code new double[rows][cols]}), as {@link #zeros(double[], int)} is for an array.
     *
     * @param reuse the result's scratch matrix from an earlier call, or null
     * @param rows  the number of rows the original method allocates
     * @param cols  the length of each row
     * @return {@code reuse} zeroed if it has that shape, else a new zeroed matrix
     * @throws NegativeArraySizeException if {@code rows} or {@code cols} is negative, as {@code new} would
     */
    public static double[][] zeros(double[][] reuse, int rows, int cols) {
        if (reuse != null && reuse.length == rows && cols >= 0) {
            boolean fits = true;
            for (double[] row : reuse) {
                fits &= row != null && row.length == cols;
            }
            if (fits) {
                for (double[] row : reuse) {
                    Arrays.fill(row, 0.0);
                }
                return reuse;
            }
        }
        return new double[rows][cols];
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

    /**
     * Checks that a tangent has its parameter's shape, as a forward-mode method requires.
     *
     * @param tangent the tangent a caller passed
     * @param primal  the parameter it is the tangent of
     * @param name    the tangent parameter's name, for the message
     * @throws IllegalArgumentException when the lengths differ or only one of the two is null
     */
    public static void checkShape(double[] tangent, double[] primal, String name) {
        if ((tangent == null) != (primal == null)) {
            throw new IllegalArgumentException(name + " is " + (tangent == null ? "null" : "not null")
                    + " but the parameter it is the tangent of is " + (primal == null ? "null" : "not null"));
        }
        if (tangent != null && tangent.length != primal.length) {
            throw new IllegalArgumentException(name + " has length " + tangent.length + " but the parameter it is the "
                    + "tangent of has length " + primal.length);
        }
    }

    /**
     * Checks that a tangent has its matrix parameter's (possibly ragged) shape.
     *
     * @param tangent the tangent a caller passed
     * @param primal  the parameter it is the tangent of
     * @param name    the tangent parameter's name, for the message
     * @throws IllegalArgumentException when the shapes differ
     */
    public static void checkShape(double[][] tangent, double[][] primal, String name) {
        if ((tangent == null) != (primal == null)) {
            throw new IllegalArgumentException(name + " is " + (tangent == null ? "null" : "not null")
                    + " but the parameter it is the tangent of is " + (primal == null ? "null" : "not null"));
        }
        if (tangent == null) {
            return;
        }
        if (tangent.length != primal.length) {
            throw new IllegalArgumentException(name + " has " + tangent.length + " rows but the parameter it is the "
                    + "tangent of has " + primal.length);
        }
        for (int i = 0; i < tangent.length; i++) {
            checkShape(tangent[i], primal[i], name + "[" + i + "]");
        }
    }

    /**
     * @param reuse an earlier buffer, or null
     * @param from  the array to copy, or null
     * @return {@code reuse} holding a copy of {@code from} if it has its length, else a new copy; null for null
     */
    public static double[] copy(double[] reuse, double[] from) {
        if (from == null) {
            return null;
        }
        double[] out = reuse != null && reuse.length == from.length ? reuse : new double[from.length];
        System.arraycopy(from, 0, out, 0, from.length);
        return out;
    }
}
