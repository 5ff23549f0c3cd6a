package golden;

import dev.adjoint.Differentiable;

// Writes into a local array: each element is written once, after it is read, so which old values the reverse sweep
// needs is the point.
class PrefixSums {
    @Differentiable
    static double f(double[] v) {
        double[] s = new double[v.length];
        double acc = 0;
        for (int i = 0; i < v.length; i++) {
            acc += v[i] * v[i];
            s[i] = Math.sqrt(acc + 1);
        }
        double total = 0;
        for (int i = 0; i < s.length; i++) {
            total += s[i] * v[i];
        }
        return total;
    }
}
