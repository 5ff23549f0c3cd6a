package dev.adjoint.benchmarks.lstm;

import org.hipparchus.analysis.differentiation.Gradient;

/**
 * The LSTM objective in Hipparchus' forward mode: {@link Lstm#objective} written over {@link Gradient}, operation
 * for operation, with all 8lb + 3b = 266 parameters free at once, so that one evaluation carries the whole
 * gradient (each operation on 266 partials). As in {@code HipparchusGmm}, no {@code GradientField} is made (its
 * cache grows as the cube of the parameter count, about 30 MB here); {@link Gradient#variable} and
 * {@link Gradient#constant} need none.
 */
public final class HipparchusLstm {
    private HipparchusLstm() {}

    /**
     * Computes the objective as a {@link Gradient}: its value and its partials in the layout of
     * {@link LstmData#flat}.
     *
     * @param d the arguments
     * @return the objective with its partials
     */
    public static Gradient objective(LstmData d) {
        return objective(d.mainParams(), d.extraParams(), d.state(), d.sequence());
    }

    /**
     * Computes the objective as a {@link Gradient}, the parameters made variables in the layout of
     * {@link LstmData#flat}.
     *
     * @param mainParams 2·layers rows of 4b
     * @param extraParams 3 rows of b
     * @param state 2·layers rows of b (constants)
     * @param sequence c rows of b bits
     * @return the objective with its partials
     */
    public static Gradient objective(double[][] mainParams, double[][] extraParams, double[][] state,
            double[][] sequence) {
        int layers = mainParams.length / 2;
        int b = extraParams[0].length;
        int c = sequence.length;
        int p = (8 * layers + 3) * b;
        int next = 0;
        Gradient[][] mainV = new Gradient[mainParams.length][];
        for (int r = 0; r < mainParams.length; r++) {
            mainV[r] = new Gradient[mainParams[r].length];
            for (int j = 0; j < mainV[r].length; j++) {
                mainV[r][j] = Gradient.variable(p, next++, mainParams[r][j]);
            }
        }
        Gradient[][] extraV = new Gradient[3][b];
        for (int r = 0; r < 3; r++) {
            for (int j = 0; j < b; j++) {
                extraV[r][j] = Gradient.variable(p, next++, extraParams[r][j]);
            }
        }

        Gradient[][] hidden = new Gradient[layers][b];
        Gradient[][] cell = new Gradient[layers][b];
        for (int layer = 0; layer < layers; layer++) {
            for (int i = 0; i < b; i++) {
                hidden[layer][i] = Gradient.constant(p, state[2 * layer][i]);
                cell[layer][i] = Gradient.constant(p, state[2 * layer + 1][i]);
            }
        }

        Gradient[] input = new Gradient[b];
        Gradient[] ypred = new Gradient[b];
        Gradient total = Gradient.constant(p, 0);
        int count = 0;
        for (int t = 0; t < c - 1; t++) {
            for (int i = 0; i < b; i++) {
                input[i] = extraV[0][i].multiply(sequence[t][i]);
            }
            Gradient[] layerInput = input;
            for (int layer = 0; layer < layers; layer++) {
                Gradient[] weight = mainV[2 * layer];
                Gradient[] bias = mainV[2 * layer + 1];
                Gradient[] h = hidden[layer];
                Gradient[] s = cell[layer];
                for (int i = 0; i < b; i++) {
                    Gradient forget = sigmoid(layerInput[i].multiply(weight[i]).add(bias[i]));
                    Gradient ingate = sigmoid(h[i].multiply(weight[b + i]).add(bias[b + i]));
                    Gradient outgate = sigmoid(layerInput[i].multiply(weight[2 * b + i]).add(bias[2 * b + i]));
                    Gradient change = h[i].multiply(weight[3 * b + i]).add(bias[3 * b + i]).tanh();
                    s[i] = s[i].multiply(forget).add(ingate.multiply(change));
                    h[i] = outgate.multiply(s[i].tanh());
                }
                layerInput = h;
            }
            for (int i = 0; i < b; i++) {
                ypred[i] = layerInput[i].multiply(extraV[1][i]).add(extraV[2][i]);
            }
            Gradient sumExp = Gradient.constant(p, 0);
            for (int i = 0; i < b; i++) {
                sumExp = sumExp.add(ypred[i].exp());
            }
            Gradient lse = sumExp.add(2).log();
            for (int i = 0; i < b; i++) {
                total = total.add(ypred[i].subtract(lse).multiply(sequence[t + 1][i]));
            }
            count += b;
        }
        return total.negate().divide(count);
    }

    /** The logistic function 1 / (1 + e^−x), as {@link Lstm#sigmoid} computes it. */
    private static Gradient sigmoid(Gradient x) {
        return x.negate().exp().add(1).reciprocal();
    }
}
