package dev.adjoint.adbench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the ADBench data files copied under {@code src/test/resources/adbench/} (see SOURCE.md there). */
final class AdbenchData {
    private AdbenchData() {}

    /** The whitespace-separated tokens of a resource under {@code /adbench/}. */
    static Tokens tokens(String path) {
        String resource = "/adbench/" + path;
        try (InputStream in = AdbenchData.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("missing test resource " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
            return new Tokens(resource, text.isEmpty() ? new String[0] : text.split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All numbers of a resource. */
    static double[] numbers(String path) {
        Tokens t = tokens(path);
        double[] out = new double[t.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.nextDouble();
        }
        return out;
    }

    /** A cursor over the tokens of one file. */
    static final class Tokens {
        private final String name;
        private final String[] tokens;
        private int next;

        Tokens(String name, String[] tokens) {
            this.name = name;
            this.tokens = tokens;
        }

        int remaining() {
            return tokens.length - next;
        }

        String next() {
            if (next >= tokens.length) {
                throw new AssertionError(name + ": unexpected end of file after " + next + " tokens");
            }
            return tokens[next++];
        }

        int nextInt() {
            return Integer.parseInt(next());
        }

        double nextDouble() {
            return Double.parseDouble(next());
        }

        double[] nextDoubles(int n) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = nextDouble();
            }
            return out;
        }

        double[][] nextMatrix(int rows, int cols) {
            double[][] out = new double[rows][];
            for (int i = 0; i < rows; i++) {
                out[i] = nextDoubles(cols);
            }
            return out;
        }

        void expectEnd() {
            if (next != tokens.length) {
                throw new AssertionError(name + ": " + (tokens.length - next) + " unread tokens after " + next);
            }
        }
    }
}
