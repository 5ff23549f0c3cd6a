package golden;

import dev.adjoint.Differentiable;

// A temporary in the reverse sweep: t1Bar is d(result)/d(1 + x*x), sign included.
class Quotient {
    @Differentiable
    static double f(double x) {
        double y = 1.0 / (1.0 + x * x);
        return y;
    }
}
