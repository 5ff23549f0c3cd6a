package dev.adjoint.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Checks a generated gradient against {@link FiniteDifferences} at any number of points and accumulates the
 * outcome: components compared, components skipped because the numerical estimate could not be trusted there, and
 * failures (each with the point, the component, both values and the error).
 *
 * <pre>{@code
 * GradientCheck.of(grad).atAll(RandomPoints.points(42, 5, r -> new Object[] {r.uniform(-2, 2)})).assertPassed();
 * }</pre>
 *
 * <p>At each point it also checks that {@code value()} equals {@code f(args)} (to {@link #valueTolerance}) and that
 * the generated method leaves its arguments as {@code f} does.
 */
public final class GradientCheck {
    private final Grad grad;
    private double tolerance = 1e-6;
    private double valueTolerance = 1e-12;
    private double jvpTolerance = 1e-12;
    private double jvpFloor = 0;
    private int jvpCompared;
    private int points;
    private int compared;
    private final List<String> skipped = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    private GradientCheck(Grad grad) {
        this.grad = grad;
    }

    /** A check of this gradient, tolerance 1e-6. */
    public static GradientCheck of(Grad grad) {
        return new GradientCheck(grad);
    }

    /** The relative tolerance ({@link FiniteDifferences#relativeError}) of gradient components. */
    public GradientCheck tolerance(double tolerance) {
        this.tolerance = tolerance;
        return this;
    }

    /** The relative tolerance of {@code value()} against {@code f(args)}; default 1e-12. */
    public GradientCheck valueTolerance(double valueTolerance) {
        this.valueTolerance = valueTolerance;
        return this;
    }

    /**
     * The relative tolerance of forward mode against reverse mode: |fJvp's tangent − Σ ∂f/∂p · ṗ| against the sum
     * of the terms' magnitudes; default 1e-12.
     */
    public GradientCheck jvpTolerance(double jvpTolerance) {
        this.jvpTolerance = jvpTolerance;
        return this;
    }

    /**
     * An absolute allowance for forward against reverse mode, in units of {@code 1 + |f|}: where a derivative is
     * the difference of nearly equal terms inside the method (d/du of u + acos(u/(1 + |u|)) is 1 − 1 + O(u)), the
     * two modes round that cancellation differently, by about the unit roundoff of the terms cancelled, which no
     * magnitude seen from outside bounds. Default 0 (the suite's methods need none); the fuzzer, whose programs
     * cancel freely, sets 1e-13.
     */
    public GradientCheck jvpFloor(double jvpFloor) {
        this.jvpFloor = jvpFloor;
        return this;
    }

    /** Checks at each point. */
    public GradientCheck atAll(List<Object[]> points) {
        points.forEach(this::at);
        return this;
    }

    /** Checks at one point: the value and every component of every differentiated parameter. */
    public GradientCheck at(Object... given) {
        points++;
        Object[] args = coerce(given);
        String where = " at " + Grad.describe(args);
        double f = grad.f(args);
        Object[] afterF = Grad.deepCopy(args);
        invokeOriginalOn(afterF);
        Object[] afterGrad = Grad.deepCopy(args);
        Grad.Result r = gradOn(afterGrad);
        if (!Arrays.deepEquals(afterF, afterGrad)) {
            failures.add("the arguments after CGrad." + grad.original().getName() + " differ from after "
                    + grad.original().getName() + ": " + Grad.describe(afterGrad) + " vs " + Grad.describe(afterF)
                    + where);
        }
        double value = r.value();
        if (!(FiniteDifferences.relativeError(value, f) <= valueTolerance)
                && !(Double.isNaN(value) && Double.isNaN(f))) {
            failures.add(String.format(Locale.ROOT, "value() = %.17g but f = %.17g%s", value, f, where));
        }
        int[] indices = grad.differentiatedIndices();
        List<String> names = grad.differentiated();
        if (indices.length == 0) {
            failures.add("no differentiated parameter" + where);
        }
        for (int k = 0; k < indices.length; k++) {
            String name = names.get(k);
            double[] analytic = FiniteDifferences.flatten(r.get(name));
            List<FiniteDifferences.Estimate> numeric =
                    FiniteDifferences.partials(grad.function(), args, indices[k], name);
            if (analytic.length != numeric.size()) {
                failures.add("∂f/∂" + name + " has " + analytic.length + " components, expected " + numeric.size()
                        + where);
                continue;
            }
            for (int i = 0; i < analytic.length; i++) {
                FiniteDifferences.Estimate e = numeric.get(i);
                if (!e.reliable(tolerance)) {
                    skipped.add(String.format(Locale.ROOT, "%s: central %.10g, richardson %.10g%s", e.label(),
                            e.central(), e.richardson(), where));
                    continue;
                }
                if (!e.continuousAt(f)) {
                    skipped.add(String.format(Locale.ROOT, "%s: f = %.17g jumps at the point (its neighbours' mean is "
                            + "%.17g)%s", e.label(), f, e.midpoint(), where));
                    continue;
                }
                double err = FiniteDifferences.relativeError(analytic[i], e.value());
                if (!(err <= tolerance) && derivativeJumps(args, indices[k], name, i, analytic[i])) {
                    skipped.add(String.format(Locale.ROOT, "%s: the derivative %.10g itself changes within the "
                            + "step at the point (a chaotic iteration or a kink there), so differences cannot check "
                            + "it%s", e.label(), analytic[i], where));
                    continue;
                }
                compared++;
                if (!(err <= tolerance)) {
                    failures.add(String.format(Locale.ROOT,
                            "∂f/∂%s = %.12g but finite differences give %.12g (central %.12g), relative error %.3g%s",
                            e.label(), analytic[i], e.value(), e.central(), err, where));
                }
            }
        }
        forwardAgainstReverse(args, r, where);
        return this;
    }

    /**
     * Forward mode against reverse mode at a random direction: the JVP's value is the gradient's, bit for bit (both
     * run the same primal operations), and its tangent ⟨∇f, ṗ⟩.
     */
    private void forwardAgainstReverse(Object[] args, Grad.Result r, String where) {
        java.util.Random random = new java.util.Random(31L * points + 7);
        int[] indices = grad.differentiatedIndices();
        List<String> names = grad.differentiated();
        Object[] tangents = new Object[indices.length];
        double expected = 0;
        double magnitude = 0;
        for (int k = 0; k < indices.length; k++) {
            tangents[k] = randomLike(args[indices[k]], random);
            double[] g = FiniteDifferences.flatten(r.get(names.get(k)));
            double[] t = FiniteDifferences.flatten(tangents[k]);
            for (int i = 0; i < g.length; i++) {
                expected += g[i] * t[i];
                magnitude += Math.abs(g[i] * t[i]);
            }
        }
        double[] jvp = grad.jvp(args, tangents);
        double value = r.value();
        if (Double.doubleToLongBits(jvp[0]) != Double.doubleToLongBits(value)) {
            failures.add(String.format(Locale.ROOT, "fJvp's value %.17g differs from the gradient's %.17g%s", jvp[0],
                    value, where));
        }
        if (!Double.isFinite(expected) || !Double.isFinite(magnitude)) {
            return; // a gradient component is not finite: nothing to compare the tangent with
        }
        jvpCompared++;
        double allowed = jvpTolerance * magnitude + jvpFloor * (1 + Math.abs(value)) + Double.MIN_NORMAL;
        if (!(Math.abs(jvp[1] - expected) <= allowed)) {
            failures.add(String.format(Locale.ROOT, "fJvp's tangent %.17g but <gradient, tangent> = %.17g (terms' "
                    + "magnitude %.3g)%s", jvp[1], expected, magnitude, where));
        }
    }

    private static Object randomLike(Object shape, java.util.Random random) {
        if (shape instanceof Double) {
            return random.nextDouble() * 2 - 1;
        } else if (shape instanceof double[] a) {
            double[] t = new double[a.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = random.nextDouble() * 2 - 1;
            }
            return t;
        } else if (shape instanceof double[][] m) {
            double[][] t = new double[m.length][];
            for (int i = 0; i < m.length; i++) {
                t[i] = m[i] == null ? null : (double[]) randomLike(m[i], random);
            }
            return t;
        } else if (shape == null) {
            return null;
        }
        throw new AssertionError("no tangent for a parameter of type " + shape.getClass());
    }

    /** Points at which forward mode was compared with reverse mode. */
    public int jvpCompared() {
        return jvpCompared;
    }

    /** Numbers passed for double parameters (say, an Integer literal) become Doubles, as finite differences need. */
    private Object[] coerce(Object[] given) {
        Class<?>[] types = grad.original().getParameterTypes();
        Object[] args = given.clone();
        for (int i = 0; i < args.length && i < types.length; i++) {
            if (types[i] == double.class && args[i] instanceof Number && !(args[i] instanceof Double)) {
                args[i] = ((Number) args[i]).doubleValue();
            }
        }
        return args;
    }

    private void invokeOriginalOn(Object[] args) {
        try {
            grad.original().invoke(null, args);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // f(args) was already called through Grad and succeeded; nothing to compare otherwise
        }
    }

    /**
     * Whether the derivative by reverse mode at the two points one central step away along component {@code i} of
     * parameter {@code index} differs from the one at the point. Differences over that step then estimate no single
     * derivative: past a kink, or in an iteration that amplifies every perturbation (a chaotic map, whose derivative
     * along the path grows like 2^n while its value stays bounded). A derivative that is wrong but smooth is the
     * same at the neighbours, and still fails.
     */
    private boolean derivativeJumps(Object[] args, int index, String name, int i, double atPoint) {
        for (int side = -1; side <= 1; side += 2) {
            Object[] moved = Grad.deepCopy(args);
            double x = component(moved[index], i);
            double h = FiniteDifferences.CENTRAL_STEP * Math.max(1, Math.abs(x));
            moved[index] = withComponent(moved[index], i, x + side * h);
            double there;
            try {
                there = FiniteDifferences.flatten(gradOn(moved).get(name))[i];
            } catch (RuntimeException ex) {
                return false; // the neighbour cannot be differentiated: the mismatch stands
            }
            // a smooth derivative moves by about |f''| h there, a relative 1e-6 or so; past a kink or in a chaotic
            // map it is another number altogether
            if (!(FiniteDifferences.relativeError(there, atPoint) <= DERIVATIVE_JUMP)) {
                return true;
            }
        }
        return false;
    }

    private static double component(Object value, int i) {
        if (value instanceof Double d) {
            return d;
        } else if (value instanceof double[] v) {
            return v[i];
        }
        double[][] m = (double[][]) value;
        for (double[] row : m) {
            if (i < row.length) {
                return row[i];
            }
            i -= row.length;
        }
        throw new IndexOutOfBoundsException(i);
    }

    private static Object withComponent(Object value, int i, double x) {
        if (value instanceof Double) {
            return x;
        } else if (value instanceof double[] v) {
            v[i] = x;
            return v;
        }
        double[][] m = (double[][]) value;
        for (double[] row : m) {
            if (i < row.length) {
                row[i] = x;
                return m;
            }
            i -= row.length;
        }
        throw new IndexOutOfBoundsException(i);
    }

    /** How far the derivative may move within one central step before differences are taken not to check it. */
    static final double DERIVATIVE_JUMP = 1e-3;

    private Grad.Result gradOn(Object[] args) {
        return grad.new Result(Grad.invoke(grad.gradMethod(), null, args));
    }

    /** Points checked. */
    public int points() {
        return points;
    }

    /** Components compared. */
    public int compared() {
        return compared;
    }

    /** Components skipped (the two numerical estimates disagreed or were not finite), described. */
    public List<String> skipped() {
        return List.copyOf(skipped);
    }

    /** The failures, described. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** One line: points, compared, skipped, failed. */
    public String summary() {
        return points + " points, " + compared + " components compared, " + skipped.size() + " skipped, "
                + failures.size() + " failed";
    }

    /** Fails on any failure, or if no component was compared, or if more were skipped than compared. */
    public GradientCheck assertPassed() {
        return assertPassed(1, 0.5);
    }

    /**
     * Fails on any failure, on fewer than {@code minPoints} points, or when more than {@code maxSkippedFraction} of
     * the components were skipped.
     */
    public GradientCheck assertPassed(int minPoints, double maxSkippedFraction) {
        StringBuilder b = new StringBuilder();
        if (!failures.isEmpty()) {
            b.append("gradient check failed: ").append(summary()).append('\n');
            failures.stream().limit(20).forEach(f -> b.append("  ").append(f).append('\n'));
        }
        if (points < minPoints) {
            b.append("only ").append(points).append(" points, expected at least ").append(minPoints).append('\n');
        }
        int total = compared + skipped.size();
        if (compared == 0 || skipped.size() > maxSkippedFraction * total) {
            b.append("too many components skipped: ").append(summary()).append('\n');
            skipped.stream().limit(20).forEach(s -> b.append("  skipped ").append(s).append('\n'));
        }
        if (b.length() > 0) {
            b.append(grad.compilation().report());
            throw new AssertionError(b.toString());
        }
        return this;
    }

    /** Fails unless {@code actual} is within {@code tolerance} ({@link FiniteDifferences#relativeError}). */
    public static void assertClose(String label, double expected, double actual, double tolerance) {
        double err = FiniteDifferences.relativeError(expected, actual);
        if (!(err <= tolerance)) {
            throw new AssertionError(String.format(Locale.ROOT, "%s: expected %.17g but got %.17g (relative error %.3g)",
                    label, expected, actual, err));
        }
    }

    /** Fails unless the arrays have the same length and every component is within {@code tolerance}. */
    public static void assertClose(String label, double[] expected, double[] actual, double tolerance) {
        if (actual == null || expected.length != actual.length) {
            throw new AssertionError(label + ": expected " + Arrays.toString(expected) + " but got "
                    + Arrays.toString(actual));
        }
        for (int i = 0; i < expected.length; i++) {
            assertClose(label + "[" + i + "]", expected[i], actual[i], tolerance);
        }
    }

    /** Fails unless the matrices have the same shape and every component is within {@code tolerance}. */
    public static void assertClose(String label, double[][] expected, double[][] actual, double tolerance) {
        if (actual == null || expected.length != actual.length) {
            throw new AssertionError(label + ": expected " + Arrays.deepToString(expected) + " but got "
                    + Arrays.deepToString(actual));
        }
        for (int i = 0; i < expected.length; i++) {
            assertClose(label + "[" + i + "]", expected[i], actual[i], tolerance);
        }
    }
}
