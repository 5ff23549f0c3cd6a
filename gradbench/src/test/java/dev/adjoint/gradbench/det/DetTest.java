package dev.adjoint.gradbench.det;

import static dev.adjoint.gradbench.Differences.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.gradbench.Differences;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DetTest {

    /** The determinant by Gaussian elimination with partial pivoting (independent of the expansion by minors). */
    static double lu(double[] a, int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a, i * n, m[i], 0, n);
        }
        double det = 1;
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            if (p != c) {
                double[] t = m[p];
                m[p] = m[c];
                m[c] = t;
                det = -det;
            }
            det *= m[c][c];
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k < n; k++) {
                    m[r][k] -= f * m[c][k];
                }
            }
        }
        return det;
    }

    /** The cofactors Cᵢⱼ = (−1)^(i+j)·det(minor without row i and column j), each minor by elimination. */
    static double[] cofactors(double[] a, int n) {
        double[] c = new double[n * n];
        if (n == 1) {
            c[0] = 1;
            return c;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double[] minor = new double[(n - 1) * (n - 1)];
                int k = 0;
                for (int r = 0; r < n; r++) {
                    for (int q = 0; q < n; q++) {
                        if (r != i && q != j) {
                            minor[k++] = a[r * n + q];
                        }
                    }
                }
                c[i * n + j] = ((i + j) % 2 == 0 ? 1 : -1) * lu(minor, n - 1);
            }
        }
        return c;
    }

    @Test
    void gradientIsTheCofactorMatrixAndCentralDifferences() {
        Random rnd = new Random(23);
        for (int ell = 1; ell <= 7; ell++) {
            double[] a = rnd.doubles(ell * ell, -2, 2).toArray();
            DetGrad.PrimalGradient g = DetGrad.primal(a, ell);
            assertEquals(lu(a, ell), g.value(), 1e-10 * Math.max(1, Math.abs(g.value())), "det, ell=" + ell);
            assertClose(cofactors(a, ell), g.a(), 1e-10, "cofactors, ell=" + ell);
            int n = ell;
            assertClose(Differences.gradient(v -> Det.primal(v, n), a), g.a(), 1e-6, "differences, ell=" + ell);
        }
    }
}
