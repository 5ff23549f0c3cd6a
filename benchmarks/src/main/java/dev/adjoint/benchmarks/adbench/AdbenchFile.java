package dev.adjoint.benchmarks.adbench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over the whitespace-separated numbers of one ADBench data file, read from this module's resources under
 * {@code /adbench/} (the files, their source and licence are described in {@code adbench/gmm/README.md} and
 * {@code adbench/lstm/README.md} there).
 */
public final class AdbenchFile {
    private final String name;
    private final String[] tokens;
    private int next;

    private AdbenchFile(String name, String[] tokens) {
        this.name = name;
        this.tokens = tokens;
    }

    /**
     * Opens a resource and splits it into tokens.
     *
     * @param path the path under {@code /adbench/}, e.g. {@code "gmm/gmm_d2_K5.txt"}
     * @return a cursor at the first token
     * @throws IllegalStateException if the resource does not exist
     * @throws UncheckedIOException if it cannot be read
     */
    public static AdbenchFile open(String path) {
        String resource = "/adbench/" + path;
        try (InputStream in = AdbenchFile.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
            return new AdbenchFile(resource, text.isEmpty() ? new String[0] : text.split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * Returns every number of a resource.
     *
     * @param path the path under {@code /adbench/}
     * @return its numbers, in order
     */
    public static double[] numbers(String path) {
        AdbenchFile f = open(path);
        double[] out = f.nextDoubles(f.tokens.length);
        f.expectEnd();
        return out;
    }

    private String next() {
        if (next >= tokens.length) {
            throw new IllegalStateException(name + ": unexpected end of file after " + next + " tokens");
        }
        return tokens[next++];
    }

    /**
     * Reads an integer.
     *
     * @return the next token as an int
     */
    public int nextInt() {
        return Integer.parseInt(next());
    }

    /**
     * Reads a number.
     *
     * @return the next token as a double
     */
    public double nextDouble() {
        return Double.parseDouble(next());
    }

    /**
     * Reads n numbers.
     *
     * @param n how many
     * @return the next n tokens as doubles
     */
    public double[] nextDoubles(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = nextDouble();
        }
        return out;
    }

    /**
     * Reads a matrix, row by row.
     *
     * @param rows the number of rows
     * @param cols the number of columns
     * @return the next rows × cols tokens as rows of doubles
     */
    public double[][] nextMatrix(int rows, int cols) {
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = nextDoubles(cols);
        }
        return out;
    }

    /**
     * Checks that every token was read.
     *
     * @throws IllegalStateException if some are left
     */
    public void expectEnd() {
        if (next != tokens.length) {
            throw new IllegalStateException(name + ": " + (tokens.length - next) + " unread tokens after " + next);
        }
    }
}
