package dev.adjoint.benchmarks.gmm;

import dev.adjoint.benchmarks.adbench.AdbenchFile;
import java.util.Arrays;
import java.util.Random;

/**
 * The arguments of {@link Gmm#objective}: either one of ADBench's GMM input files (copied under
 * {@code src/main/resources/adbench/gmm/}, see the README there) or seeded random data of the same form.
 *
 * @param alpha k log-weights
 * @param mu k means of d coordinates
 * @param q k vectors of d log-diagonal entries of Q
 * @param l k vectors of d(d−1)/2 strictly-lower entries of Q, column by column
 * @param x n points of d coordinates
 * @param gamma the Wishart prior's scale
 * @param m the Wishart prior's extra degrees of freedom
 */
public record GmmData(double[] alpha, double[][] mu, double[][] q, double[][] l, double[][] x, double gamma,
        int m) {
    /** The seed of the generated sizes. */
    public static final long SEED = 20261202L;

    /**
     * Reads an ADBench GMM file: {@code d K n}, the K alphas, K means of d, K rows of d(d+1)/2 "icf" values (d
     * log-diagonal entries q, then the strictly lower triangle l column by column), n points of d, then γ and m.
     *
     * @param set the file's name under {@code adbench/gmm/} without {@code .txt}, e.g. {@code "gmm_d2_K5"}
     * @return the data, in {@link Gmm#objective}'s layout (icf split into q and l)
     */
    public static GmmData adbench(String set) {
        AdbenchFile f = AdbenchFile.open("gmm/" + set + ".txt");
        int d = f.nextInt();
        int k = f.nextInt();
        int n = f.nextInt();
        double[] alpha = f.nextDoubles(k);
        double[][] mu = f.nextMatrix(k, d);
        double[][] q = new double[k][];
        double[][] l = new double[k][];
        for (int c = 0; c < k; c++) {
            double[] icf = f.nextDoubles(d + d * (d - 1) / 2);
            q[c] = Arrays.copyOfRange(icf, 0, d);
            l[c] = Arrays.copyOfRange(icf, d, icf.length);
        }
        double[][] x = f.nextMatrix(n, d);
        double gamma = f.nextDouble();
        int m = f.nextInt();
        f.expectEnd();
        return new GmmData(alpha, mu, q, l, x, gamma, m);
    }

    /**
     * Returns seeded random data: alpha, q, l and the points standard normal, the means uniform on [0, 1), γ = 1
     * and m = 0 (the ADBench files' values have these ranges; the generator is ours).
     *
     * @param d the dimension
     * @param k the number of components
     * @param n the number of points
     * @param seed the seed of {@link Random}
     * @return the data
     */
    public static GmmData random(int d, int k, int n, long seed) {
        Random random = new Random(seed);
        double[] alpha = gaussian(random, 1, k)[0];
        double[][] mu = new double[k][d];
        for (double[] row : mu) {
            for (int j = 0; j < d; j++) {
                row[j] = random.nextDouble();
            }
        }
        double[][] q = gaussian(random, k, d);
        double[][] l = gaussian(random, k, d * (d - 1) / 2);
        double[][] x = gaussian(random, n, d);
        return new GmmData(alpha, mu, q, l, x, 1.0, 0);
    }

    private static double[][] gaussian(Random random, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return a;
    }

    /**
     * Returns the same parameters with only the first points: the objective of those points alone.
     *
     * @param points how many points to keep, at most {@link #n}
     * @return the data with {@code x} cut to its first {@code points} rows (the rows themselves shared)
     */
    public GmmData firstPoints(int points) {
        return points == x.length ? this : new GmmData(alpha, mu, q, l, Arrays.copyOf(x, points), gamma, m);
    }

    /**
     * Returns the number of components.
     *
     * @return k
     */
    public int k() {
        return alpha.length;
    }

    /**
     * Returns the dimension.
     *
     * @return d
     */
    public int d() {
        return mu[0].length;
    }

    /**
     * Returns the number of points.
     *
     * @return n
     */
    public int n() {
        return x.length;
    }

    /**
     * Returns the number of parameters differentiated.
     *
     * @return k (1 + d + d(d+1)/2)
     */
    public int parameters() {
        int d = d();
        return k() * (1 + d + d + d * (d - 1) / 2);
    }

    /**
     * Returns the primal at these arguments.
     *
     * @return {@link Gmm#objective}
     */
    public double objective() {
        return Gmm.objective(alpha, mu, q, l, x, gamma, m);
    }

    /**
     * Returns a gradient in ADBench's flat layout: [alpha | mu, component by component | icf, component by
     * component, each q then l]. Finite differences, Hipparchus and the reference files use this layout.
     *
     * @param alpha ∂/∂alpha
     * @param mu ∂/∂mu
     * @param q ∂/∂q
     * @param l ∂/∂l
     * @return all partials in one array
     */
    public static double[] flat(double[] alpha, double[][] mu, double[][] q, double[][] l) {
        int size = alpha.length;
        for (int c = 0; c < alpha.length; c++) {
            size += mu[c].length + q[c].length + l[c].length;
        }
        double[] out = new double[size];
        System.arraycopy(alpha, 0, out, 0, alpha.length);
        int at = alpha.length;
        for (double[] row : mu) {
            System.arraycopy(row, 0, out, at, row.length);
            at += row.length;
        }
        for (int c = 0; c < alpha.length; c++) {
            System.arraycopy(q[c], 0, out, at, q[c].length);
            at += q[c].length;
            System.arraycopy(l[c], 0, out, at, l[c].length);
            at += l[c].length;
        }
        return out;
    }
}
