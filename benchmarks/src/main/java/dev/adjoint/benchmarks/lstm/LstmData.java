package dev.adjoint.benchmarks.lstm;

import dev.adjoint.benchmarks.adbench.AdbenchFile;
import java.util.Arrays;

/**
 * The arguments of {@link Lstm#objective}, read from ADBench's {@code lstm_l2_c1024.txt} (copied under
 * {@code src/main/resources/adbench/lstm/}, see the README there): 2 layers, a text of c = 1024 characters of
 * b = 14 bits, 8lb + 3b = 266 parameters.
 *
 * @param mainParams 2·layers rows of 4b: row 2i layer i's weights, row 2i+1 its biases (forget, input, output,
 *     change)
 * @param extraParams 3 rows of b: input weights, output weights, output biases
 * @param state 2·layers rows of b: row 2i layer i's initial hidden state, row 2i+1 its cell state
 * @param sequence c rows of b bits
 */
public record LstmData(double[][] mainParams, double[][] extraParams, double[][] state, double[][] sequence) {
    /** The ADBench input benchmarked. */
    public static final String SET = "lstm_l2_c1024";

    /**
     * Reads ADBench's input: {@code l c b}, then per layer 8b main parameters (the four gates' weights, then their
     * biases), the 3b extra parameters, per layer 2b of state (hidden, then cell), and c × b bits.
     *
     * @return the data, in {@link Lstm#objective}'s layout
     */
    public static LstmData standard() {
        AdbenchFile f = AdbenchFile.open("lstm/" + SET + ".txt");
        int layers = f.nextInt();
        int c = f.nextInt();
        int b = f.nextInt();
        double[][] main = new double[2 * layers][];
        for (int layer = 0; layer < layers; layer++) {
            double[] p = f.nextDoubles(8 * b);
            main[2 * layer] = Arrays.copyOfRange(p, 0, 4 * b);
            main[2 * layer + 1] = Arrays.copyOfRange(p, 4 * b, 8 * b);
        }
        double[][] extra = f.nextMatrix(3, b);
        double[][] state = new double[2 * layers][];
        for (int layer = 0; layer < layers; layer++) {
            double[] s = f.nextDoubles(2 * b);
            state[2 * layer] = Arrays.copyOfRange(s, 0, b);
            state[2 * layer + 1] = Arrays.copyOfRange(s, b, 2 * b);
        }
        double[][] sequence = f.nextMatrix(c, b);
        f.expectEnd();
        return new LstmData(main, extra, state, sequence);
    }

    /**
     * Returns ADBench's expected gradient of {@link #standard()}, from its LSTM unit test
     * ({@code lstm_l2_c1024_J_from_unit_test.txt}), in the layout of {@link #flat}.
     *
     * @return 8lb + 3b partials
     */
    public static double[] referenceGradient() {
        return AdbenchFile.numbers("lstm/" + SET + "_J_from_unit_test.txt");
    }

    /**
     * Returns the number of layers.
     *
     * @return the layers
     */
    public int layers() {
        return mainParams.length / 2;
    }

    /**
     * Returns the number of bits per character.
     *
     * @return b
     */
    public int b() {
        return extraParams[0].length;
    }

    /**
     * Returns the number of parameters differentiated.
     *
     * @return 8lb + 3b
     */
    public int parameters() {
        return (8 * layers() + 3) * b();
    }

    /**
     * Returns the primal at these arguments.
     *
     * @return {@link Lstm#objective}
     */
    public double objective() {
        return Lstm.objective(mainParams, extraParams, state, sequence);
    }

    /**
     * Returns a gradient in ADBench's flat layout, which is also the rows' order here: the main parameters row by
     * row (per layer, weights then biases), then the extra parameters row by row.
     *
     * @param main ∂/∂mainParams
     * @param extra ∂/∂extraParams
     * @return all partials in one array
     */
    public static double[] flat(double[][] main, double[][] extra) {
        int size = 0;
        for (double[] row : main) {
            size += row.length;
        }
        for (double[] row : extra) {
            size += row.length;
        }
        double[] out = new double[size];
        int at = 0;
        for (double[][] rows : new double[][][] {main, extra}) {
            for (double[] row : rows) {
                System.arraycopy(row, 0, out, at, row.length);
                at += row.length;
            }
        }
        return out;
    }
}
