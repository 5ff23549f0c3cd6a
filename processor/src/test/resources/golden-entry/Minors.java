package golden;

import dev.adjoint.Differentiable;

/**
 * A recursive method with an array parameter, called through its own entry points: the pullback saves the minor's
 * elements that the next column overwrites (the recursive pullback reads the whole minor), recomputes the
 * recursive call's value for the product rule, and passes the minor's adjoint array down.
 */
public final class Minors {
    private Minors() {}

    @Differentiable
    public static double det(double[] a, int n) {
        if (n == 1) {
            return a[0];
        }
        double[] minor = new double[(n - 1) * (n - 1)];
        double sum = 0;
        for (int j = 0; j < n; j++) {
            int k = 0;
            for (int r = 1; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    if (c != j) {
                        minor[k++] = a[r * n + c];
                    }
                }
            }
            double term = a[j] * det(minor, n - 1);
            sum = j % 2 == 0 ? sum + term : sum - term;
        }
        return sum;
    }
}
