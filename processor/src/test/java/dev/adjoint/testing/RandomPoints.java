package dev.adjoint.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Seeded random inputs in given domains. The same seed always gives the same sequence, so a failure can be replayed
 * from the seed printed with it.
 */
public final class RandomPoints {
    private final long seed;
    private final SplittableRandom random;

    private RandomPoints(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** A generator with a fixed seed. */
    public static RandomPoints seeded(long seed) {
        return new RandomPoints(seed);
    }

    /**
     * {@code count} argument lists from {@code generator}, each from its own seeded generator (seed + i), so point
     * {@code i} does not depend on how many values the earlier points drew.
     */
    public static List<Object[]> points(long seed, int count, Function<RandomPoints, Object[]> generator) {
        List<Object[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(generator.apply(new RandomPoints(seed * 1_000_003L + i)));
        }
        return Collections.unmodifiableList(out);
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /** The underlying generator. */
    public SplittableRandom random() {
        return random;
    }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    /** Uniform in [lo, hi) but at least {@code margin} away from each of {@code avoid} (kinks, poles). */
    public double uniformAwayFrom(double lo, double hi, double margin, double... avoid) {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            double x = uniform(lo, hi);
            boolean ok = true;
            for (double a : avoid) {
                if (Math.abs(x - a) < margin) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                return x;
            }
        }
        throw new IllegalArgumentException("no point of [" + lo + ", " + hi + ") is " + margin + " away from all of "
                + java.util.Arrays.toString(avoid));
    }

    /** Uniform in lo ≤ |x| < hi, either sign. */
    public double magnitude(double lo, double hi) {
        double x = uniform(lo, hi);
        return random.nextBoolean() ? x : -x;
    }

    /** Log-uniform in [lo, hi), 0 &lt; lo &lt; hi: every order of magnitude equally likely. */
    public double logUniform(double lo, double hi) {
        return Math.exp(uniform(Math.log(lo), Math.log(hi)));
    }

    /** Standard normal. */
    public double gaussian() {
        // Box–Muller, from SplittableRandom for reproducibility across JDKs.
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** n values uniform in [lo, hi). */
    public double[] vector(int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = uniform(lo, hi);
        }
        return v;
    }

    /** A rows×cols matrix of values uniform in [lo, hi). */
    public double[][] matrix(int rows, int cols, double lo, double hi) {
        double[][] m = new double[rows][];
        for (int i = 0; i < rows; i++) {
            m[i] = vector(cols, lo, hi);
        }
        return m;
    }

    /** Uniform integer in [lo, hi] (both included). */
    public int integer(int lo, int hi) {
        return random.nextInt(lo, hi + 1);
    }

    /** n integers uniform in [lo, hi]. */
    public int[] integers(int n, int lo, int hi) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = integer(lo, hi);
        }
        return v;
    }

    /** Uniform long in [lo, hi] (both included). */
    public long longInteger(long lo, long hi) {
        return random.nextLong(lo, hi + 1);
    }

    /** A fair coin. */
    public boolean bool() {
        return random.nextBoolean();
    }

    /** One of the values, uniformly. */
    @SafeVarargs
    public final <T> T oneOf(T... values) {
        return values[random.nextInt(values.length)];
    }
}
