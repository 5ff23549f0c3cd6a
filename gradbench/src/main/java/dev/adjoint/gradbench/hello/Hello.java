package dev.adjoint.gradbench.hello;

import dev.adjoint.Differentiable;

/** GradBench's hello eval: {@code square} is x², {@code double} its derivative, 2x, from the generated gradient. */
public final class Hello {
    private Hello() {
    }

    /** x². */
    @Differentiable
    public static double square(double x) {
        return x * x;
    }
}
