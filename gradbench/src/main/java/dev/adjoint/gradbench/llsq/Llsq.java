package dev.adjoint.gradbench.llsq;

import dev.adjoint.Differentiable;

/**
 * GradBench's llsq eval (cmpad's linear least squares): fitting a polynomial with coefficients {@code x} to the sign
 * function sampled at n points of [−1, 1].
 */
public final class Llsq {
    private Llsq() {
    }

    /**
     * ½ Σᵢ (sᵢ − Σⱼ xⱼ tᵢʲ)², where tᵢ = −1 + 2i/(n − 1) and sᵢ = sign(tᵢ), for i = 0 … n−1 (n ≥ 2).
     */
    @Differentiable(wrt = "x")
    public static double primal(double[] x, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double t = -1 + 2.0 * i / (n - 1);
            // the residual of sample i: the sign minus the polynomial, its powers of t built up term by term
            double residual = Math.signum(t);
            double power = 1;
            for (int j = 0; j < x.length; j++) {
                residual -= x[j] * power;
                power *= t;
            }
            sum += residual * residual;
        }
        return sum / 2;
    }
}
