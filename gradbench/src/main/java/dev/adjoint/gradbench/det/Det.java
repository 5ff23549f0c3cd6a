package dev.adjoint.gradbench.det;

import dev.adjoint.Differentiable;

/**
 * GradBench's det eval (cmpad's det_by_minor): the determinant by Laplace expansion along the first row of each
 * minor, recursively, which costs O(ℓ!).
 */
public final class Det {
    private Det() {
    }

    /** The determinant of the ℓ×ℓ matrix {@code a}, stored row by row. */
    @Differentiable(wrt = "a")
    public static double primal(double[] a, int ell) {
        int[] columns = new int[ell];
        for (int j = 0; j < ell; j++) {
            columns[j] = j;
        }
        return minor(a, ell, 0, columns, ell);
    }

    /**
     * The determinant of the m×m minor of {@code a} made of rows {@code row} … ℓ−1 and the columns
     * {@code columns[0 … m−1]}: expanded along its first row, each term the element times the determinant of the minor
     * without that row and column, with alternating signs.
     */
    static double minor(double[] a, int ell, int row, int[] columns, int m) {
        if (m == 1) {
            return a[row * ell + columns[0]];
        }
        int[] rest = new int[m - 1];
        double sum = 0;
        for (int j = 0; j < m; j++) {
            // the columns of the minor without column j
            int k = 0;
            for (int q = 0; q < m; q++) {
                if (q != j) {
                    rest[k++] = columns[q];
                }
            }
            double term = a[row * ell + columns[j]] * minor(a, ell, row + 1, rest, m - 1);
            sum = j % 2 == 0 ? sum + term : sum - term;
        }
        return sum;
    }
}
