package dev.adjoint.testing;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The generated derivatives of a {@code double[]}-valued method {@code C.f}: {@code CGrad.fJacobian},
 * {@code fJvp} and {@code fVjp}, called reflectively, and checked at a point: the Jacobian against central finite
 * differences column by column, forward against reverse mode (⟨ȳ, J·ẋ⟩ = ⟨Jᵀ·ȳ, ẋ⟩ at random ȳ and ẋ), the JVP
 * against J·ẋ and the VJP against ȳᵀ·J, and every value against {@code f} itself. The tolerances are settable
 * ({@link #tolerance}, {@link #valueTolerance}, {@link #jvpTolerance}, {@link #jvpFloor}) for the fuzzer.
 */
public final class JacobianCheck {
    private final Compilation compilation;
    private final Method original;
    private final Class<?> grad;
    private final List<String> wrt;
    private final int[] wrtIndex;
    private final List<String> failures = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private double tolerance = 1e-6;
    private double valueTolerance = 0;
    private double jvpTolerance = 1e-12;
    private double jvpFloor = 0;
    /** The results of the previous point, passed back to the reuse forms ({@code fJacobian(args, out)}, ...). */
    private Object lastJacobian;
    private Object lastJvp;
    private Object lastVjp;
    private int compared;
    private int jvpCompared;
    private int points;

    private JacobianCheck(Compilation compilation, Method original, List<String> wrt) {
        this.compilation = compilation;
        this.original = original;
        this.grad = compilation.loadClass(Grad.gradClassName(original.getDeclaringClass().getName()));
        this.wrt = wrt;
        List<String> names = new ArrayList<>();
        for (var p : original.getParameters()) {
            names.add(p.getName());
        }
        this.wrtIndex = wrt.stream().mapToInt(names::indexOf).toArray();
    }

    /**
     * @param wrt the differentiated parameters, in order
     */
    public static JacobianCheck of(Compilation c, String className, String method, String... wrt) {
        Class<?> cls = c.loadClass(className);
        Method m = Arrays.stream(cls.getDeclaredMethods()).filter(x -> x.getName().equals(method)).findFirst()
                .orElseThrow(() -> new AssertionError("no method " + method + " in " + className));
        m.setAccessible(true);
        return new JacobianCheck(c, m, List.of(wrt));
    }

    /** {@code C.f(args)} on copies. */
    public double[] f(Object... args) {
        return (double[]) Grad.invoke(original, null, Grad.deepCopy(args));
    }

    /** {@code CGrad.fJacobian(args)}: the value and one block per differentiated parameter. */
    public Result jacobian(Object... args) {
        return new Result(Grad.invoke(method("Jacobian", original.getParameterTypes()), null, Grad.deepCopy(args)));
    }

    /** {@code CGrad.fJvp(args, tangents)}: {value, tangent}. */
    public double[][] jvp(Object[] args, Object[] tangents) {
        Object r = rawJvp(args, tangents);
        return new double[][] {(double[]) call(r, "value"), (double[]) call(r, "tangent")};
    }

    private Object rawJvp(Object[] args, Object[] tangents) {
        return Grad.invoke(method("Jvp", jvpTypes()), null, concat(Grad.deepCopy(args), Grad.deepCopy(tangents)));
    }

    private Class<?>[] jvpTypes() {
        Class<?>[] types = original.getParameterTypes();
        Class<?>[] all = Arrays.copyOf(types, types.length + wrtIndex.length);
        for (int k = 0; k < wrtIndex.length; k++) {
            all[types.length + k] = types[wrtIndex[k]];
        }
        return all;
    }

    private Class<?>[] vjpTypes() {
        Class<?>[] types = original.getParameterTypes();
        Class<?>[] all = Arrays.copyOf(types, types.length + 1);
        all[types.length] = double[].class;
        return all;
    }

    /**
     * The reuse form of a generated method ({@code fJacobian(args, out)}, {@code fJvp(args, tangents, out)},
     * {@code fVjp(args, seed, out)}) called with {@code out}, which must come back (null allocates).
     */
    private Object reusing(String kind, Class<?>[] types, Object[] values, Object out, String where) {
        Class<?>[] all = Arrays.copyOf(types, types.length + 1);
        all[types.length] = method(kind, types).getReturnType();
        Object r = Grad.invoke(method(kind, all), null, concat(values, new Object[] {out}));
        if (out != null && r != out) {
            failures.add(original.getName() + kind + "(..., out) returned another object than out" + where);
        }
        return r;
    }

    /** The reuse form's result against the fresh call's, accessor by accessor, bit for bit. */
    private void sameResult(String kind, Object fresh, Object reused, List<String> accessors, String where) {
        for (String a : accessors) {
            Object x = call(fresh, a);
            Object y = call(reused, a);
            if (!Arrays.deepEquals(new Object[] {x}, new Object[] {y})) {
                failures.add(original.getName() + kind + "(..., out), reusing the previous point's result, gives "
                        + a + "() = " + Arrays.deepToString(new Object[] {y}) + " but the fresh call "
                        + Arrays.deepToString(new Object[] {x}) + where);
            }
        }
    }

    /** {@code CGrad.fVjp(args, seed)}: the value and one seedᵀ·J per differentiated parameter. */
    public Result vjp(Object[] args, double[] seed) {
        return new Result(Grad.invoke(method("Vjp", vjpTypes()), null, concat(Grad.deepCopy(args),
                new Object[] {seed.clone()})));
    }

    /** The relative tolerance ({@link FiniteDifferences#relativeError}) of Jacobian entries; default 1e-6. */
    public JacobianCheck tolerance(double tolerance) {
        this.tolerance = tolerance;
        return this;
    }

    /** The relative tolerance of each {@code value()} component against {@code f}'s; default 0 (bit for bit). */
    public JacobianCheck valueTolerance(double valueTolerance) {
        this.valueTolerance = valueTolerance;
        return this;
    }

    /**
     * The relative tolerance of forward against reverse mode (and of the JVP and the VJP against the Jacobian),
     * against the sum of the magnitudes of the terms; default 1e-12.
     */
    public JacobianCheck jvpTolerance(double jvpTolerance) {
        this.jvpTolerance = jvpTolerance;
        return this;
    }

    /**
     * An absolute allowance for forward against reverse mode, as {@link GradientCheck#jvpFloor}, in units of
     * {@code 1 + |f_i|} for output i: {@code jvpFloor · (1 + |f_i|)} for the JVP's component i against (J·ṫ)_i, and
     * {@code jvpFloor · Σ_i |ȳ_i| (1 + |f_i|)} for what is seeded with ȳ (the VJP against ȳᵀ·J, ⟨ȳ, J·ẋ⟩ against
     * ⟨Jᵀ·ȳ, ẋ⟩). Default 0; the fuzzer sets 1e-13.
     */
    public JacobianCheck jvpFloor(double jvpFloor) {
        this.jvpFloor = jvpFloor;
        return this;
    }

    /**
     * Checks at one point; failures accumulate: every value against {@code f}'s, the arguments left as {@code f}
     * leaves them and {@code value()} not one of them, the reuse forms ({@code fJacobian(args, out)}, ...) given the
     * previous point's results (null at the first) bit for bit what the fresh calls give, the Jacobian against finite
     * differences (entries whose two estimates disagree are skipped and counted), forward against reverse mode, the
     * JVP against J·ẋ and the VJP against ȳᵀ·J.
     */
    public JacobianCheck at(Object... args) {
        points++;
        String where = " at " + Grad.describe(args);
        Object[] afterF = Grad.deepCopy(args);
        double[] value = ((double[]) Grad.invoke(original, null, afterF)).clone();
        Object[] afterJacobian = Grad.deepCopy(args);
        Result j = new Result(Grad.invoke(method("Jacobian", original.getParameterTypes()), null, afterJacobian));
        if (!Arrays.deepEquals(afterF, afterJacobian)) {
            failures.add("the arguments after CGrad." + original.getName() + "Jacobian differ from after "
                    + original.getName() + ": " + Grad.describe(afterJacobian) + " vs " + Grad.describe(afterF)
                    + where);
        }
        for (Object a : afterJacobian) {
            if (a == j.value() || a instanceof double[][] rows && Arrays.asList(rows).contains(j.value())) {
                failures.add("value() of " + original.getName() + "Jacobian is an argument's own array" + where);
            }
        }
        checkValue("fJacobian", j.value(), value, where);
        List<String> blocks = new ArrayList<>(wrt);
        blocks.add(0, "value");
        Object reusedJacobian = reusing("Jacobian", original.getParameterTypes(), Grad.deepCopy(args), lastJacobian,
                where);
        sameResult("Jacobian", j.raw, reusedJacobian, blocks, where);
        lastJacobian = reusedJacobian;
        int m = value.length;
        // the Jacobian against finite differences, column by column
        boolean finite = true;
        for (int k = 0; k < wrtIndex.length; k++) {
            String name = wrt.get(k);
            double[][] block = j.rows(name, m);
            List<FiniteDifferences.Estimate[]> columns = FiniteDifferences.columns(this::f, args, wrtIndex[k], name, m);
            for (int i = 0; i < m; i++) {
                if (block[i].length != columns.size()) {
                    failures.add("row " + i + " of the Jacobian block of " + name + " has " + block[i].length
                            + " components, expected " + columns.size() + where);
                    return this;
                }
                for (double d : block[i]) {
                    finite &= Double.isFinite(d);
                }
            }
            for (int c = 0; c < columns.size(); c++) {
                for (int i = 0; i < m; i++) {
                    FiniteDifferences.Estimate e = columns.get(c)[i];
                    if (!e.reliable(tolerance)) {
                        skipped.add(String.format(Locale.ROOT, "J[%d] wrt %s: central %.10g, richardson %.10g%s", i,
                                e.label(), e.central(), e.richardson(), where));
                        continue;
                    }
                    if (!e.continuousAt(value[i])) {
                        skipped.add(String.format(Locale.ROOT, "J[%d] wrt %s: f[%d] = %.17g jumps at the point "
                                + "(its neighbours' mean is %.17g)%s", i, e.label(), i, value[i], e.midpoint(), where));
                        continue;
                    }
                    compared++;
                    double err = FiniteDifferences.relativeError(block[i][c], e.value());
                    if (!(err <= tolerance)) {
                        failures.add(String.format(Locale.ROOT, "J[%d] wrt %s = %.12g but finite differences give "
                                + "%.12g (central %.12g), relative error %.3g%s", i, e.label(), block[i][c],
                                e.value(), e.central(), err, where));
                    }
                }
            }
        }
        // forward against reverse, and each against the Jacobian
        SplittableRandom random = new SplittableRandom(Arrays.deepHashCode(args));
        Object[] tangents = new Object[wrtIndex.length];
        for (int k = 0; k < wrtIndex.length; k++) {
            tangents[k] = randomLike(args[wrtIndex[k]], random);
        }
        double[] seed = new double[m];
        for (int i = 0; i < m; i++) {
            seed[i] = random.nextDouble(-1, 1);
        }
        Object freshJvp = rawJvp(args, tangents);
        double[][] jvp = {(double[]) call(freshJvp, "value"), (double[]) call(freshJvp, "tangent")};
        Result vjp = vjp(args, seed);
        Object reusedJvp = reusing("Jvp", jvpTypes(), concat(Grad.deepCopy(args), Grad.deepCopy(tangents)), lastJvp,
                where);
        sameResult("Jvp", freshJvp, reusedJvp, List.of("value", "tangent"), where);
        lastJvp = reusedJvp;
        Object reusedVjp = reusing("Vjp", vjpTypes(), concat(Grad.deepCopy(args), new Object[] {seed.clone()}),
                lastVjp, where);
        sameResult("Vjp", vjp.raw, reusedVjp, blocks, where);
        lastVjp = reusedVjp;
        checkValue("fJvp", jvp[0], value, where);
        checkValue("fVjp", vjp.value(), value, where);
        if (jvp[1].length != m) {
            failures.add("fJvp's tangent has " + jvp[1].length + " components, expected " + m + where);
            return this;
        }
        if (!finite) {
            return this;   // a Jacobian entry is not finite: nothing to compare forward and reverse mode with
        }
        // the allowance for cancellation inside the method, per output and seeded
        double[] floor = new double[m];
        double seededFloor = 0;
        for (int i = 0; i < m; i++) {
            floor[i] = jvpFloor * (1 + Math.abs(value[i]));
            seededFloor += Math.abs(seed[i]) * floor[i];
        }
        double reverse = 0;
        double magnitude = 0;
        double[] jTimesT = new double[m];
        double[] rowMagnitude = new double[m];
        for (int k = 0; k < wrtIndex.length; k++) {
            double[] t = FiniteDifferences.flatten(tangents[k]);
            double[] g = FiniteDifferences.flatten(vjp.get(wrt.get(k)));
            double[][] block = j.rows(wrt.get(k), m);
            if (g.length != t.length) {
                failures.add("fVjp's " + wrt.get(k) + " has " + g.length + " components, expected " + t.length
                        + where);
                return this;
            }
            for (int c = 0; c < t.length; c++) {
                reverse += g[c] * t[c];
                magnitude += Math.abs(g[c] * t[c]);
                for (int i = 0; i < m; i++) {
                    jTimesT[i] += block[i][c] * t[c];
                    rowMagnitude[i] += Math.abs(block[i][c] * t[c]);
                }
            }
            for (int c = 0; c < g.length; c++) {
                double sTj = 0;
                double size = 0;
                for (int i = 0; i < m; i++) {
                    sTj += seed[i] * block[i][c];
                    size += Math.abs(seed[i] * block[i][c]);
                }
                if (!(Math.abs(sTj - g[c]) <= jvpTolerance * size + seededFloor + Double.MIN_NORMAL)) {
                    failures.add("fVjp's " + wrt.get(k) + "[" + c + "] = " + g[c] + " but seed^T J gives " + sTj
                            + where);
                }
            }
        }
        double forward = 0;
        double seeded = 0;
        for (int i = 0; i < m; i++) {
            forward += seed[i] * jvp[1][i];
            seeded += Math.abs(seed[i]) * rowMagnitude[i];
            double allowed = jvpTolerance * (Math.abs(jTimesT[i]) + rowMagnitude[i] + magnitude) + floor[i]
                    + Double.MIN_NORMAL;
            if (!(Math.abs(jvp[1][i] - jTimesT[i]) <= allowed)) {
                failures.add("fJvp's tangent[" + i + "] = " + jvp[1][i] + " but J t gives " + jTimesT[i] + where);
            }
        }
        jvpCompared++;
        if (!(Math.abs(forward - reverse) <= jvpTolerance * (magnitude + seeded) + seededFloor + Double.MIN_NORMAL)) {
            failures.add(String.format(Locale.ROOT, "<seed, J t> = %.17g by forward mode but <J^T seed, t> = %.17g "
                    + "by reverse mode (terms' magnitude %.3g)%s", forward, reverse, magnitude, where));
        }
        return this;
    }

    /** {@code value()} of a generated method against {@code f}'s: bit for bit, or to {@link #valueTolerance}. */
    private void checkValue(String kind, double[] got, double[] expected, String where) {
        boolean same = got != null && got.length == expected.length;
        for (int i = 0; same && i < expected.length; i++) {
            same = Double.doubleToLongBits(got[i]) == Double.doubleToLongBits(expected[i])
                    || Math.abs(got[i] - expected[i]) <= valueTolerance * Math.abs(expected[i]);
        }
        if (!same) {
            failures.add("value() of " + kind + " = " + Arrays.toString(got) + " but f = " + Arrays.toString(expected)
                    + where);
        }
    }

    /** Fails with every failure, the generated source attached, unless there were none and something was compared. */
    public JacobianCheck assertPassed() {
        if (!failures.isEmpty() || compared == 0) {
            throw new AssertionError((compared == 0 ? "nothing compared\n" : "") + String.join("\n", failures)
                    + "\n---- generated " + grad.getName() + " ----\n"
                    + compilation.generatedSource(grad.getName()));
        }
        return this;
    }

    /** Components compared with finite differences. */
    public int compared() {
        return compared;
    }

    /** Entries whose finite-difference estimates disagreed or were not finite (not compared). */
    public int skipped() {
        return skipped.size();
    }

    /** The skipped entries, described (both estimates, the point). */
    public List<String> skippedEntries() {
        return List.copyOf(skipped);
    }

    /** Points at which forward mode was compared with reverse mode (every Jacobian entry finite). */
    public int jvpCompared() {
        return jvpCompared;
    }

    /** Points checked. */
    public int points() {
        return points;
    }

    /** The failures so far. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** A result object: {@code value()} and one accessor per differentiated parameter. */
    public final class Result {
        private final Object raw;

        Result(Object raw) {
            this.raw = raw;
        }

        public double[] value() {
            return (double[]) call(raw, "value");
        }

        public Object get(String parameter) {
            return call(raw, parameter);
        }

        /** The Jacobian block of a parameter as m rows of its flattened components. */
        public double[][] rows(String parameter, int m) {
            Object block = get(parameter);
            double[][] rows = new double[m][];
            for (int i = 0; i < m; i++) {
                if (block instanceof double[] column) {
                    rows[i] = new double[] {column[i]};
                } else {
                    rows[i] = FiniteDifferences.flatten(((Object[]) block)[i]);
                }
            }
            return rows;
        }
    }

    private Method method(String kind, Class<?>[] types) {
        String name = original.getName() + kind;
        try {
            return grad.getMethod(name, types);
        } catch (NoSuchMethodException e) {
            throw new AssertionError("no method " + name + Arrays.toString(types) + " in " + grad.getName());
        }
    }

    private static Object call(Object target, String accessor) {
        try {
            Method m = target.getClass().getMethod(accessor);
            return m.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot call " + accessor + " on " + target.getClass().getName() + ": " + e, e);
        }
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static Object randomLike(Object shape, SplittableRandom random) {
        if (shape instanceof Double) {
            return random.nextDouble(-1, 1);
        } else if (shape instanceof double[] a) {
            double[] t = new double[a.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = random.nextDouble(-1, 1);
            }
            return t;
        } else if (shape instanceof double[][] mat) {
            double[][] t = new double[mat.length][];
            for (int i = 0; i < mat.length; i++) {
                t[i] = (double[]) randomLike(mat[i], random);
            }
            return t;
        }
        throw new AssertionError("no tangent for " + shape);
    }
}
