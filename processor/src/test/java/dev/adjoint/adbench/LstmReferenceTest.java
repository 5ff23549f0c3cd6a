package dev.adjoint.adbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.FiniteDifferences;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.Measurements;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ADBench's LSTM benchmark (github.com/microsoft/ADBench, MIT): a two-layer LSTM with diagonal weights run over a
 * sequence of 1024 characters of 14 bits, written as plain Java and differentiated by Adjoint, against the
 * 266-component gradient that ADBench's unit test expects.
 */
class LstmReferenceTest {
    /** Per component |g − r| / max(1, |r|) against the reference gradient. */
    static final double J_TOLERANCE = 1e-8;

    /**
     * ADBench's model restated. Per layer, mainParams[l] holds the weights of the forget, input, output and change
     * gates (b each) and then their biases; extraParams holds the input weights, output weights and output biases;
     * state[l] the initial hidden and cell values. Each step predicts the next character's bits; the loss is the
     * mean negative log-likelihood, with ADBench's log-sum-exp (which adds 2 inside the log).
     */
    static final String SOURCE = """
            package adbench;

            import dev.adjoint.Differentiable;

            public final class Lstm {
                private Lstm() {}

                @Differentiable(wrt = {"mainParams", "extraParams"})
                public static double loss(double[][] mainParams, double[] extraParams, double[][] state,
                        double[][] sequence) {
                    int layers = mainParams.length;
                    int b = extraParams.length / 3;
                    int c = sequence.length;

                    double[][] hidden = new double[layers][b];
                    double[][] cell = new double[layers][b];
                    for (int l = 0; l < layers; l++) {
                        for (int i = 0; i < b; i++) {
                            hidden[l][i] = state[l][i];
                            cell[l][i] = state[l][b + i];
                        }
                    }

                    double[] input = new double[b];
                    double[] ypred = new double[b];
                    double total = 0;
                    int count = 0;
                    for (int t = 0; t < c - 1; t++) {
                        for (int i = 0; i < b; i++) {
                            input[i] = sequence[t][i] * extraParams[i];
                        }
                        double[] layerInput = input;
                        for (int l = 0; l < layers; l++) {
                            double[] p = mainParams[l];
                            double[] h = hidden[l];
                            double[] s = cell[l];
                            for (int i = 0; i < b; i++) {
                                double forget = 1 / (1 + Math.exp(-(layerInput[i] * p[i] + p[4 * b + i])));
                                double ingate = 1 / (1 + Math.exp(-(h[i] * p[b + i] + p[5 * b + i])));
                                double outgate = 1 / (1 + Math.exp(-(layerInput[i] * p[2 * b + i] + p[6 * b + i])));
                                double change = Math.tanh(h[i] * p[3 * b + i] + p[7 * b + i]);
                                s[i] = s[i] * forget + ingate * change;
                                h[i] = outgate * Math.tanh(s[i]);
                            }
                            layerInput = h;
                        }
                        for (int i = 0; i < b; i++) {
                            ypred[i] = layerInput[i] * extraParams[b + i] + extraParams[2 * b + i];
                        }

                        double sumExp = 0;
                        for (int i = 0; i < b; i++) {
                            sumExp += Math.exp(ypred[i]);
                        }
                        double lse = Math.log(sumExp + 2);   // sic: ADBench adds 2
                        for (int i = 0; i < b; i++) {
                            total += sequence[t + 1][i] * (ypred[i] - lse);
                        }
                        count += b;
                    }
                    return -total / count;
                }
            }
            """;

    private static Grad lstm;

    @BeforeAll
    static void compile() {
        Compilation c = Javac.adjoint().strict().compile(SOURCE).assertSucceeded();
        Measurements.record("LSTM: compiled with the processor in %d ms", c.elapsed().toMillis());
        lstm = Grad.of(c, "adbench.Lstm", "loss");
    }

    /** lstm/lstm_l2_c1024.txt: header l c b, then main params, extra params, state, sequence. */
    static Object[] load() {
        AdbenchData.Tokens t = AdbenchData.tokens("lstm/lstm_l2_c1024.txt");
        int l = t.nextInt();
        int c = t.nextInt();
        int b = t.nextInt();
        double[][] main = t.nextMatrix(l, 8 * b);
        double[] extra = t.nextDoubles(3 * b);
        double[][] state = t.nextMatrix(l, 2 * b);
        double[][] sequence = t.nextMatrix(c, b);
        t.expectEnd();
        return new Object[] {main, extra, state, sequence};
    }

    static double[] flatGradient(Grad.Result r) {
        double[] main = FiniteDifferences.flatten(r.get("mainParams"));
        double[] extra = FiniteDifferences.flatten(r.get("extraParams"));
        double[] out = new double[main.length + extra.length];
        System.arraycopy(main, 0, out, 0, main.length);
        System.arraycopy(extra, 0, out, main.length, extra.length);
        return out;
    }

    @Test
    void gradientMatchesAdbenchUnitTest() {
        Object[] args = load();
        double[] reference = AdbenchData.numbers("lstm/lstm_l2_c1024_J_from_unit_test.txt");
        double f = lstm.f(args);
        long start = System.nanoTime();
        Grad.Result r = lstm.grad(args);
        long nanos = System.nanoTime() - start;
        assertEquals(f, r.value(), 0, "CGrad value() differs from the objective");
        double[] g = flatGradient(r);
        assertEquals(reference.length, g.length, "gradient length");
        double maxError = 0;
        double maxAbs = 0;
        double maxRef = 0;
        int worst = -1;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < g.length; i++) {
            double e = Math.abs(g[i] - reference[i]) / Math.max(1, Math.abs(reference[i]));
            if (!(e <= maxError)) {
                maxError = e;
                worst = i;
            }
            maxAbs = Math.max(maxAbs, Math.abs(g[i] - reference[i]));
            maxRef = Math.max(maxRef, Math.abs(reference[i]));
            if (!(e <= J_TOLERANCE) && failures.size() < 20) {
                failures.add("J[" + i + "] = " + g[i] + ", reference " + reference[i] + ", error " + e);
            }
        }
        Measurements.record("LSTM l2 c1024 %d params: loss %.17g, max J error %.2e (at %d), max |g − r| %.2e"
                + " (max |r| %.2e), gradient %.1f ms", g.length, f, maxError, worst, maxAbs, maxRef, nanos / 1e6);
        assertTrue(failures.isEmpty(), () -> "gradient differs from ADBench's:\n" + String.join("\n", failures));
        // The components are small (|r| ≤ 0.05), so also bound the error relative to the gradient's size.
        double scaled = maxAbs / maxRef;
        assertTrue(scaled <= 1e-10, () -> "max |g − r| / max |r| = " + scaled);
    }

    /** Sanity: a few components against Richardson-extrapolated central differences. */
    @Test
    void gradientAgreesWithFiniteDifferences() {
        Object[] args = load();
        Grad.Result r = lstm.grad(args);
        double[][] mainGrad = (double[][]) r.get("mainParams");
        double[] extraGrad = (double[]) r.get("extraParams");
        double[][] main = (double[][]) args[0];
        double[] extra = (double[]) args[1];
        int[][] picks = {{0, 0, 0}, {0, 1, 20}, {0, 0, 45}, {0, 1, 100}, {1, 0, 3}, {1, 0, 17}, {1, 0, 40}};
        for (int[] pick : picks) {
            double ad;
            FiniteDifferences.Estimate fd;
            String label;
            if (pick[0] == 0) {
                int l = pick[1];
                int j = pick[2];
                label = "mainParams[" + l + "][" + j + "]";
                ad = mainGrad[l][j];
                fd = FiniteDifferences.derivative(label, v -> {
                    double[][] moved = (double[][]) Grad.deepCopy((Object) main);
                    moved[l][j] = v;
                    return lstm.f(moved, extra, args[2], args[3]);
                }, main[l][j]);
            } else {
                int j = pick[2];
                label = "extraParams[" + j + "]";
                ad = extraGrad[j];
                fd = FiniteDifferences.derivative(label, v -> {
                    double[] moved = extra.clone();
                    moved[j] = v;
                    return lstm.f(main, moved, args[2], args[3]);
                }, extra[j]);
            }
            // components are O(1e-3): compare relative to max(|AD|, 1e-3)
            double error = Math.abs(ad - fd.richardson()) / Math.max(1e-3, Math.abs(ad));
            Measurements.record("LSTM FD %-18s AD %.12g, Richardson %.12g, error %.1e", label, ad, fd.richardson(),
                    error);
            assertTrue(error <= 1e-5, label + ": AD " + ad + ", finite differences " + fd);
        }
    }
}
