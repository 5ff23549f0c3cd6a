package golden;

import dev.adjoint.Differentiable;

// u depends on x but never reaches the result: it should get no adjoint code (issue 7: activity is "varied and
// useful"). What the reverse sweep does with u is what this file pins.
class DeadIntermediate {
    @Differentiable
    static double f(double x) {
        double u = Math.sin(x) * Math.exp(x);
        double y = x * x;
        return y;
    }
}
