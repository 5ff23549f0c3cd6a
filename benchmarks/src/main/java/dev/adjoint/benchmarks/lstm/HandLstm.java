package dev.adjoint.benchmarks.lstm;

import java.util.Arrays;

/**
 * The LSTM objective and its gradient written by hand, as an expert would: a forward pass that keeps, per step,
 * layer and unit, the gate values, the new cell state, its tanh and the new hidden state (the old ones and the
 * layer's input are read back from the step before and the layer below), and the partial of the step's
 * log-likelihood by each prediction; then one reverse pass over the steps that carries the adjoints of each
 * layer's hidden and cell state back through time. The weights are diagonal, so everything but the loss's
 * normaliser is unit by unit. No tape; the arrays are kept in the result, so a warm call allocates nothing.
 *
 * <p>Per unit, with x the layer's input and h, s the layer's previous state: f = σ(x w_f + b_f), i = σ(h w_i +
 * b_i), o = σ(x w_o + b_o), g = tanh(h w_g + b_g), s' = s f + i g, h' = o tanh(s'). Given h̄' and s̄' (the latter
 * already holding the next step's s̄ f), s̄' += h̄' o (1 − tanh² s'), ō = h̄' tanh s', f̄ = s̄' s, ī = s̄' g,
 * ḡ = s̄' i; the pre-activations' adjoints are f̄ f (1 − f), ī i (1 − i), ō o (1 − o), ḡ (1 − g²); they give the
 * weights' and biases' partials, x̄ (to the layer below, or to the input weights) and h̄, and s̄ = s̄' f.
 */
public final class HandLstm {
    private HandLstm() {}

    /** A gradient result, with the working arrays of one shape (layers, b bits, c characters). */
    public static final class Result {
        /** The objective. */
        public double value;
        /** ∂/∂mainParams, in its shape. */
        public final double[][] mainParams;
        /** ∂/∂extraParams, in its shape. */
        public final double[][] extraParams;

        private final int layers;
        private final int b;
        private final int steps;
        /** Per step, layer and unit: the forget, input and output gates, the change, s', tanh s', h'. */
        private final double[] forget;
        private final double[] ingate;
        private final double[] outgate;
        private final double[] change;
        private final double[] cell;
        private final double[] cellTanh;
        private final double[] hidden;
        /** Per step and unit: the partial of the step's log-likelihood by the prediction. */
        private final double[] ypredBar;
        /** exp(ypred) of the current step. */
        private final double[] expYpred;
        /** Per layer and unit: the adjoints of the hidden and cell state carried back through time. */
        private final double[][] hiddenBar;
        private final double[][] cellBar;

        /**
         * A result for an LSTM of these sizes.
         *
         * @param layers the number of layers
         * @param b the bits per character
         * @param c the number of characters (c − 1 steps)
         */
        public Result(int layers, int b, int c) {
            this.layers = layers;
            this.b = b;
            this.steps = c - 1;
            mainParams = new double[2 * layers][4 * b];
            extraParams = new double[3][b];
            int size = steps * layers * b;
            forget = new double[size];
            ingate = new double[size];
            outgate = new double[size];
            change = new double[size];
            cell = new double[size];
            cellTanh = new double[size];
            hidden = new double[size];
            ypredBar = new double[steps * b];
            expYpred = new double[b];
            hiddenBar = new double[layers][b];
            cellBar = new double[layers][b];
        }

        /**
         * Returns the gradient in ADBench's flat layout ({@link LstmData#flat}).
         *
         * @return a new array of all partials
         */
        public double[] flat() {
            return LstmData.flat(mainParams, extraParams);
        }
    }

    /**
     * Computes {@link Lstm#objective} and its gradient with respect to mainParams and extraParams into
     * {@code out}.
     *
     * @param mainParams 2·layers rows of 4b
     * @param extraParams 3 rows of b
     * @param state 2·layers rows of b (only read)
     * @param sequence c rows of b bits
     * @param out a result made for these sizes, overwritten
     * @return {@code out}
     * @throws IllegalArgumentException if {@code out} was made for other sizes
     */
    public static Result objective(double[][] mainParams, double[][] extraParams, double[][] state,
            double[][] sequence, Result out) {
        int layers = mainParams.length / 2;
        int b = extraParams[0].length;
        int steps = sequence.length - 1;
        if (out.layers != layers || out.b != b || out.steps != steps) {
            throw new IllegalArgumentException("the result is for " + out.layers + " layers, b = " + out.b + ", "
                    + out.steps + " steps, not " + layers + ", " + b + ", " + steps);
        }
        double[] forget = out.forget;
        double[] ingate = out.ingate;
        double[] outgate = out.outgate;
        double[] change = out.change;
        double[] cell = out.cell;
        double[] cellTanh = out.cellTanh;
        double[] hidden = out.hidden;
        double[] ypredBar = out.ypredBar;
        double[] expYpred = out.expYpred;
        double[] inWeight = extraParams[0];
        double[] outWeight = extraParams[1];
        double[] outBias = extraParams[2];

        // forward, keeping what the reverse pass reads
        double total = 0;
        for (int t = 0; t < steps; t++) {
            double[] bits = sequence[t];
            for (int layer = 0; layer < layers; layer++) {
                double[] w = mainParams[2 * layer];
                double[] bias = mainParams[2 * layer + 1];
                int at = (t * layers + layer) * b;
                int below = at - b;
                int before = at - layers * b;
                double[] h0 = state[2 * layer];
                double[] s0 = state[2 * layer + 1];
                for (int i = 0; i < b; i++) {
                    double x = layer == 0 ? bits[i] * inWeight[i] : hidden[below + i];
                    double h = t == 0 ? h0[i] : hidden[before + i];
                    double s = t == 0 ? s0[i] : cell[before + i];
                    double f = sigmoid(x * w[i] + bias[i]);
                    double in = sigmoid(h * w[b + i] + bias[b + i]);
                    double o = sigmoid(x * w[2 * b + i] + bias[2 * b + i]);
                    double g = Math.tanh(h * w[3 * b + i] + bias[3 * b + i]);
                    double s1 = s * f + in * g;
                    double th = Math.tanh(s1);
                    forget[at + i] = f;
                    ingate[at + i] = in;
                    outgate[at + i] = o;
                    change[at + i] = g;
                    cell[at + i] = s1;
                    cellTanh[at + i] = th;
                    hidden[at + i] = o * th;
                }
            }
            int top = (t * layers + layers - 1) * b;
            double[] next = sequence[t + 1];
            double sumExp = 0;
            for (int i = 0; i < b; i++) {
                double e = Math.exp(hidden[top + i] * outWeight[i] + outBias[i]);
                expYpred[i] = e;
                sumExp += e;
            }
            double normaliser = sumExp + 2;
            double lse = Math.log(normaliser);
            double nextBits = 0;
            for (int i = 0; i < b; i++) {
                double ypred = hidden[top + i] * outWeight[i] + outBias[i];
                total += next[i] * (ypred - lse);
                nextBits += next[i];
            }
            // ∂/∂ypred_i of Σ_j next_j (ypred_j − lse)
            for (int i = 0; i < b; i++) {
                ypredBar[t * b + i] = next[i] - nextBits * (expYpred[i] / normaliser);
            }
        }
        int count = steps * b;
        out.value = -total / count;

        // reverse, from the last step to the first
        for (double[] row : out.mainParams) {
            Arrays.fill(row, 0);
        }
        for (double[] row : out.extraParams) {
            Arrays.fill(row, 0);
        }
        for (int layer = 0; layer < layers; layer++) {
            Arrays.fill(out.hiddenBar[layer], 0);
            Arrays.fill(out.cellBar[layer], 0);
        }
        double[] gInWeight = out.extraParams[0];
        double[] gOutWeight = out.extraParams[1];
        double[] gOutBias = out.extraParams[2];
        double scale = -1.0 / count;
        for (int t = steps - 1; t >= 0; t--) {
            int top = (t * layers + layers - 1) * b;
            double[] topBar = out.hiddenBar[layers - 1];
            for (int i = 0; i < b; i++) {
                double yb = scale * ypredBar[t * b + i];
                gOutWeight[i] += yb * hidden[top + i];
                gOutBias[i] += yb;
                topBar[i] += yb * outWeight[i];
            }
            double[] bits = sequence[t];
            for (int layer = layers - 1; layer >= 0; layer--) {
                double[] w = mainParams[2 * layer];
                double[] gw = out.mainParams[2 * layer];
                double[] gb = out.mainParams[2 * layer + 1];
                double[] hb = out.hiddenBar[layer];
                double[] sb = out.cellBar[layer];
                double[] belowBar = layer > 0 ? out.hiddenBar[layer - 1] : null;
                int at = (t * layers + layer) * b;
                int below = at - b;
                int before = at - layers * b;
                double[] h0 = state[2 * layer];
                double[] s0 = state[2 * layer + 1];
                for (int i = 0; i < b; i++) {
                    double x = layer == 0 ? bits[i] * inWeight[i] : hidden[below + i];
                    double h = t == 0 ? h0[i] : hidden[before + i];
                    double s = t == 0 ? s0[i] : cell[before + i];
                    double f = forget[at + i];
                    double in = ingate[at + i];
                    double o = outgate[at + i];
                    double g = change[at + i];
                    double th = cellTanh[at + i];
                    double hBar = hb[i];
                    double sBar = sb[i] + hBar * o * (1 - th * th);
                    double fPre = sBar * s * f * (1 - f);
                    double inPre = sBar * g * in * (1 - in);
                    double oPre = hBar * th * o * (1 - o);
                    double gPre = sBar * in * (1 - g * g);
                    gw[i] += fPre * x;
                    gb[i] += fPre;
                    gw[b + i] += inPre * h;
                    gb[b + i] += inPre;
                    gw[2 * b + i] += oPre * x;
                    gb[2 * b + i] += oPre;
                    gw[3 * b + i] += gPre * h;
                    gb[3 * b + i] += gPre;
                    double xBar = fPre * w[i] + oPre * w[2 * b + i];
                    if (layer > 0) {
                        belowBar[i] += xBar;
                    } else {
                        gInWeight[i] += xBar * bits[i];
                    }
                    hb[i] = inPre * w[b + i] + gPre * w[3 * b + i];
                    sb[i] = sBar * f;
                }
            }
        }
        return out;
    }

    /** The logistic function, as {@link Lstm#sigmoid} computes it. */
    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
