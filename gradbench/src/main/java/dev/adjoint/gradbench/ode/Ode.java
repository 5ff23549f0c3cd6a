package dev.adjoint.gradbench.ode;

import dev.adjoint.Differentiable;

/**
 * GradBench's ode eval (cmpad's an_ode): y′₀ = x₀, y′ᵢ = xᵢ·yᵢ₋₁, from y(0) = 0 to t = 2 by s classical Runge-Kutta
 * steps.
 */
public final class Ode {
    private Ode() {
    }

    /** y(2), by s RK4 steps of size 2/s (s ≥ 1). */
    @Differentiable(wrt = "x")
    public static double[] primal(double[] x, int s) {
        int n = x.length;
        double h = 2.0 / s;
        double[] y = new double[n];
        double[] k1 = new double[n];
        double[] k2 = new double[n];
        double[] k3 = new double[n];
        double[] k4 = new double[n];
        double[] stage = new double[n];
        for (int step = 0; step < s; step++) {
            rates(x, y, k1);
            for (int i = 0; i < n; i++) {
                stage[i] = y[i] + h * k1[i] / 2;
            }
            rates(x, stage, k2);
            for (int i = 0; i < n; i++) {
                stage[i] = y[i] + h * k2[i] / 2;
            }
            rates(x, stage, k3);
            for (int i = 0; i < n; i++) {
                stage[i] = y[i] + h * k3[i];
            }
            rates(x, stage, k4);
            for (int i = 0; i < n; i++) {
                y[i] += h * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) / 6;
            }
        }
        return y;
    }

    /** The right-hand side at y, written into z: z₀ = x₀, zᵢ = xᵢ·yᵢ₋₁. */
    static void rates(double[] x, double[] y, double[] z) {
        z[0] = x[0];
        for (int i = 1; i < x.length; i++) {
            z[i] = x[i] * y[i - 1];
        }
    }
}
