package dev.adjoint;

/**
 * The vector operations of Parr and Howard's "The Matrix Calculus You Need For Deep Learning", named after what they
 * are, for {@code @Differentiable} code. Adjoint differentiates a call to them as the loop it is (the same loop as
 * this class runs, in the same order, so values are bit for bit the same): O(n) work per derivative, no Jacobian
 * matrix ever built, so an element-wise operation costs what its diagonal Jacobian says. Each allocating operation
 * returns a new array; operands of different lengths are an {@link IllegalArgumentException}.
 */
public final class Vectors {
    private Vectors() {}

    /** @return the dot product w·x = Σ wᵢxᵢ, summed from the first element */
    public static double dot(double[] w, double[] x) {
        sameLength(w, x, "dot");
        double s = 0.0;
        for (int i = 0; i < w.length; i++) {
            s = s + w[i] * x[i];
        }
        return s;
    }

    /** @return Σ xᵢ, summed from the first element */
    public static double sum(double[] x) {
        double s = 0.0;
        for (int i = 0; i < x.length; i++) {
            s = s + x[i];
        }
        return s;
    }

    /** @return the element-wise sum w + x */
    public static double[] add(double[] w, double[] x) {
        sameLength(w, x, "add");
        double[] y = new double[w.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = w[i] + x[i];
        }
        return y;
    }

    /** @return the element-wise difference w − x */
    public static double[] subtract(double[] w, double[] x) {
        sameLength(w, x, "subtract");
        double[] y = new double[w.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = w[i] - x[i];
        }
        return y;
    }

    /** @return the Hadamard (element-wise) product w ⊗ x */
    public static double[] multiply(double[] w, double[] x) {
        sameLength(w, x, "multiply");
        double[] y = new double[w.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = w[i] * x[i];
        }
        return y;
    }

    /** @return the element-wise quotient w ⊘ x */
    public static double[] divide(double[] w, double[] x) {
        sameLength(w, x, "divide");
        double[] y = new double[w.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = w[i] / x[i];
        }
        return y;
    }

    /** @return scalar expansion x + z: z added to every element */
    public static double[] addScalar(double[] x, double z) {
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = x[i] + z;
        }
        return y;
    }

    /** @return scalar expansion x·z: every element multiplied by z */
    public static double[] scale(double[] x, double z) {
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = x[i] * z;
        }
        return y;
    }

    /** @return max(0, x) element-wise, the rectified linear unit */
    public static double[] relu(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.max(0, x[i]);
        }
        return y;
    }

    /** @return the matrix-vector product W·x, each row summed from its first element */
    public static double[] matVec(double[][] w, double[] x) {
        double[] y = new double[w.length];
        for (int i = 0; i < y.length; i++) {
            sameLength(w[i], x, "matVec");
            double s = 0.0;
            for (int j = 0; j < x.length; j++) {
                s = s + w[i][j] * x[j];
            }
            y[i] = s;
        }
        return y;
    }

    private static void sameLength(double[] a, double[] b, String op) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("Vectors." + op + ": the arrays' lengths differ");
        }
    }
}
