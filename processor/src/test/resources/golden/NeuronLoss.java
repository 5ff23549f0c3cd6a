package golden;

import dev.adjoint.Differentiable;

// The README's neuron: per sample, z and e are saved once (block locals, at the end of their block); nothing is
// saved per inner iteration; both loops are counted, so no trip count is stored.
class NeuronLoss {
    @Differentiable(wrt = {"w", "b"})
    static double loss(double[] w, double b, double[][] X, double[] y) {
        double cost = 0;
        for (int i = 0; i < X.length; i++) {
            double z = b;
            for (int j = 0; j < w.length; j++) {
                z += w[j] * X[i][j];
            }
            double a = Math.max(0, z);
            double e = y[i] - a;
            cost += e * e;
        }
        return cost / X.length;
    }
}
