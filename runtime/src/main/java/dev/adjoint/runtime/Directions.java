package dev.adjoint.runtime;

/**
 * Tangents of vector-mode forward differentiation, for generated code: every differentiated value carries one
 * tangent per direction, in a last dimension of the directions' count, so that one sweep of the original
 * computation gives a whole block of Jacobian columns.
 */
public final class Directions {
    private Directions() {}

    /**
     * @param shape an array, or null
     * @param width the number of directions
     * @return zero tangents, {@code double[shape.length][width]}, or null
     */
    public static double[][] like(double[] shape, int width) {
        return shape == null ? null : new double[shape.length][width];
    }

    /**
     * @param shape a (possibly ragged) matrix, or null; null rows stay null
     * @param width the number of directions
     * @return zero tangents, {@code double[r][c][width]} in the matrix's shape, or null
     */
    public static double[][][] like(double[][] shape, int width) {
        if (shape == null) {
            return null;
        }
        double[][][] t = new double[shape.length][][];
        for (int i = 0; i < shape.length; i++) {
            t[i] = like(shape[i], width);
        }
        return t;
    }

    /**
     * @return the tangents of a scalar that is component {@code offset} of the inputs: direction {@code offset} is
     *     1, the others 0
     */
    public static double[] unit(int width, int offset) {
        double[] t = new double[width];
        t[offset] = 1.0;
        return t;
    }

    /**
     * @return the tangents of an array whose element c is component {@code offset + c} of the inputs: an identity
     *     block
     */
    public static double[][] units(double[] shape, int width, int offset) {
        double[][] t = like(shape, width);
        for (int c = 0; c < shape.length; c++) {
            t[c][offset + c] = 1.0;
        }
        return t;
    }

    /** @return the tangents of a matrix whose elements, row after row, are components {@code offset, ...} */
    public static double[][][] units(double[][] shape, int width, int offset) {
        double[][][] t = like(shape, width);
        int k = offset;
        for (int r = 0; r < shape.length; r++) {
            for (int c = 0; c < shape[r].length; c++) {
                t[r][c][k++] = 1.0;
            }
        }
        return t;
    }
}
