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
 * against J·ẋ and the VJP against ȳᵀ·J, and every value against {@code f} itself.
 */
public final class JacobianCheck {
    private final Compilation compilation;
    private final Method original;
    private final Class<?> grad;
    private final List<String> wrt;
    private final int[] wrtIndex;
    private final List<String> failures = new ArrayList<>();
    private int compared;
    private int skipped;

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
        Class<?>[] types = original.getParameterTypes();
        Class<?>[] all = Arrays.copyOf(types, types.length + wrtIndex.length);
        for (int k = 0; k < wrtIndex.length; k++) {
            all[types.length + k] = types[wrtIndex[k]];
        }
        Object[] values = concat(Grad.deepCopy(args), Grad.deepCopy(tangents));
        Object r = Grad.invoke(method("Jvp", all), null, values);
        return new double[][] {(double[]) call(r, "value"), (double[]) call(r, "tangent")};
    }

    /** {@code CGrad.fVjp(args, seed)}: the value and one seedᵀ·J per differentiated parameter. */
    public Result vjp(Object[] args, double[] seed) {
        Class<?>[] types = original.getParameterTypes();
        Class<?>[] all = Arrays.copyOf(types, types.length + 1);
        all[types.length] = double[].class;
        return new Result(Grad.invoke(method("Vjp", all), null, concat(Grad.deepCopy(args),
                new Object[] {seed.clone()})));
    }

    /** Checks at one point; failures accumulate. */
    public JacobianCheck at(Object... args) {
        String where = " at " + Grad.describe(args);
        double[] value = f(args);
        Result j = jacobian(args);
        if (!Arrays.equals(value, j.value())) {
            failures.add("fJacobian's value " + Arrays.toString(j.value()) + " but f gives " + Arrays.toString(value)
                    + where);
        }
        int m = value.length;
        // the Jacobian against finite differences, column by column
        for (int k = 0; k < wrtIndex.length; k++) {
            double[][] block = j.rows(wrt.get(k), m);
            for (int i = 0; i < m; i++) {
                int output = i;
                List<FiniteDifferences.Estimate> column = FiniteDifferences.partials(a -> f(a)[output], args,
                        wrtIndex[k], wrt.get(k));
                for (int c = 0; c < column.size(); c++) {
                    FiniteDifferences.Estimate e = column.get(c);
                    if (!e.reliable(1e-6)) {
                        skipped++;
                        continue;
                    }
                    compared++;
                    if (!FiniteDifferences.close(block[i][c], e.value(), 1e-6)) {
                        failures.add(String.format(Locale.ROOT, "J[%d] wrt %s = %.12g but finite differences give "
                                + "%.12g%s", i, e.label(), block[i][c], e.value(), where));
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
        double[][] jvp = jvp(args, tangents);
        Result vjp = vjp(args, seed);
        if (!Arrays.equals(value, jvp[0]) || !Arrays.equals(value, vjp.value())) {
            failures.add("fJvp's or fVjp's value differs from f's" + where);
        }
        double forward = 0;
        double reverse = 0;
        double magnitude = 0;
        double[] jTimesT = new double[m];
        for (int k = 0; k < wrtIndex.length; k++) {
            double[] t = FiniteDifferences.flatten(tangents[k]);
            double[] g = FiniteDifferences.flatten(vjp.get(wrt.get(k)));
            double[][] block = j.rows(wrt.get(k), m);
            for (int c = 0; c < t.length; c++) {
                reverse += g[c] * t[c];
                magnitude += Math.abs(g[c] * t[c]);
                for (int i = 0; i < m; i++) {
                    jTimesT[i] += block[i][c] * t[c];
                }
            }
            for (int c = 0; c < g.length; c++) {
                double sTj = 0;
                double size = 0;
                for (int i = 0; i < m; i++) {
                    sTj += seed[i] * block[i][c];
                    size += Math.abs(seed[i] * block[i][c]);
                }
                if (!(Math.abs(sTj - g[c]) <= 1e-12 * size + Double.MIN_NORMAL)) {
                    failures.add("fVjp's " + wrt.get(k) + "[" + c + "] = " + g[c] + " but seed^T J gives " + sTj
                            + where);
                }
            }
        }
        for (int i = 0; i < m; i++) {
            forward += seed[i] * jvp[1][i];
            if (!(Math.abs(jvp[1][i] - jTimesT[i]) <= 1e-12 * Math.abs(jTimesT[i]) + 1e-12 * magnitude
                    + Double.MIN_NORMAL)) {
                failures.add("fJvp's tangent[" + i + "] = " + jvp[1][i] + " but J t gives " + jTimesT[i] + where);
            }
        }
        if (!(Math.abs(forward - reverse) <= 1e-12 * magnitude + Double.MIN_NORMAL)) {
            failures.add(String.format(Locale.ROOT, "<seed, J t> = %.17g by forward mode but <J^T seed, t> = %.17g "
                    + "by reverse mode%s", forward, reverse, where));
        }
        return this;
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

    /** Components whose finite-difference estimate was not reliable. */
    public int skipped() {
        return skipped;
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
