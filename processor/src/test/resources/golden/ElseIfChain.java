package golden;

import dev.adjoint.Differentiable;

// A piecewise function: the arm taken is recorded as one int, and the reverse sweep takes the same arm.
class ElseIfChain {
    @Differentiable
    static double huber(double r, double delta) {
        double a = Math.abs(r);
        double loss;
        if (a <= delta) {
            loss = 0.5 * r * r;
        } else if (a <= 2 * delta) {
            loss = delta * (a - 0.5 * delta);
        } else {
            loss = 1.5 * delta * delta + Math.log(a - 2 * delta + 1);
        }
        return loss;
    }
}
