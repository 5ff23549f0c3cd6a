package dev.adjoint.gradbench.lse;

import dev.adjoint.Differentiable;

/** GradBench's lse eval: log-sum-exp, built from a maximum and a sum as the eval asks. */
public final class Lse {
    private Lse() {
    }

    /** max(x) + log Σᵢ exp(xᵢ − max(x)), for a non-empty x. */
    @Differentiable
    public static double primal(double[] x) {
        double max = x[0];
        for (int i = 1; i < x.length; i++) {
            max = Math.max(max, x[i]);
        }
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += Math.exp(x[i] - max);
        }
        return max + Math.log(sum);
    }
}
