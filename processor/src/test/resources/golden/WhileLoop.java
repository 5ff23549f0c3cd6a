package golden;

import dev.adjoint.Differentiable;

// A loop whose trip count is not known before it runs: the count goes on the tape, and the value x overwrites each
// iteration is saved.
class WhileLoop {
    @Differentiable
    static double halve(double x, double limit) {
        int n = 0;
        while (x > limit && n < 60) {
            x = x * 0.5 + Math.sin(x);
            n++;
        }
        return x;
    }
}
