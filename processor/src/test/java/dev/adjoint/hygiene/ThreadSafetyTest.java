package dev.adjoint.hygiene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.FiniteDifferences;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.RandomPoints;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Generated methods are stateless: many threads calling them at once (each with its own result object, reused
 * from call to call, or with the no-{@code out} overload) get, bit for bit, what one thread gets.
 */
class ThreadSafetyTest {

    /** Data-dependent loops (the tape), arrays and matrices (buffers in the result), early exits. */
    static final String MODEL = """
            package par;

            import dev.adjoint.Differentiable;

            class Model {
                @Differentiable
                static double f(double[] w, double[][] xs, double b, int steps) {
                    double cost = 0;
                    for (int i = 0; i < xs.length; i++) {
                        double z = b;
                        for (int j = 0; j < w.length; j++) {
                            z += w[j] * xs[i][j];
                        }
                        double s = z;
                        int k = 0;
                        while (Math.abs(s) > 0.05 && k < steps) {
                            s = Math.sin(s) * 0.9;
                            k++;
                        }
                        if (s > 10) {
                            return cost;
                        }
                        cost += Math.log(1 + Math.exp(-s * z)) + s * s;
                    }
                    return cost / xs.length;
                }
            }
            """;

    private static final int CALLS = 3000;

    /** The value and every gradient component of one call, flattened: w, xs, b. */
    private static double[] flatten(Grad.Result r) {
        List<double[]> parts = new ArrayList<>();
        parts.add(new double[] {r.value()});
        parts.add(r.vector("w").clone());
        parts.add(FiniteDifferences.flatten(r.matrix("xs")));
        parts.add(new double[] {r.scalar("b")});
        return parts.stream().flatMapToDouble(Arrays::stream).toArray();
    }

    private static boolean sameBits(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    @Test
    void parallelCallsMatchSequentialBitForBit() {
        Compilation c = Hygiene.compile(MODEL);
        Grad g = Grad.of(c, "par.Model", "f");
        // inputs of varying shapes, so reused results also resize their buffers
        List<Object[]> inputs = RandomPoints.points(2024, CALLS, r -> {
            int n = r.integer(1, 5);
            int m = r.integer(1, 6);
            return new Object[] {r.vector(n, -1, 1), r.matrix(m, n, -2, 2), r.uniform(-1, 1), r.integer(0, 30)};
        });
        double[][] expected = new double[CALLS][];
        for (int i = 0; i < CALLS; i++) {
            expected[i] = flatten(g.grad(inputs.get(i)));
        }

        ConcurrentLinkedQueue<String> mismatches = new ConcurrentLinkedQueue<>();
        ThreadLocal<Grad.Result> own = ThreadLocal.withInitial(g::newResult);
        for (int pass = 0; pass < 3; pass++) {
            IntStream.range(0, CALLS).parallel().forEach(i -> {
                Object[] args = inputs.get(i);
                double[] fresh = flatten(g.grad(args));
                double[] reused = flatten(g.gradInto(own.get().raw(), args));
                double[] newOut = flatten(g.gradInto(g.newResult().raw(), args));
                double[] nullOut = flatten(g.gradInto(null, args));
                if (!sameBits(expected[i], fresh) || !sameBits(expected[i], reused) || !sameBits(expected[i], newOut)
                        || !sameBits(expected[i], nullOut)) {
                    mismatches.add("call " + i + " at " + Grad.describe(args) + ": sequential "
                            + Arrays.toString(expected[i]) + ", parallel " + Arrays.toString(fresh) + " / "
                            + Arrays.toString(reused) + " / " + Arrays.toString(newOut));
                }
            });
        }
        assertTrue(mismatches.isEmpty(), () -> mismatches.size() + " mismatches, e.g. " + mismatches.peek());
    }

    /** No static state: the generated class has no fields besides compile-time constants. */
    @Test
    void generatedClassHasNoMutableStaticState() {
        Compilation c = Hygiene.compile(MODEL);
        Class<?> grad = c.loadClass("par.ModelGrad");
        for (Class<?> k : List.of(grad, Grad.of(c, "par.Model", "f").resultType())) {
            for (java.lang.reflect.Field f : k.getDeclaredFields()) {
                int mods = f.getModifiers();
                assertTrue(!java.lang.reflect.Modifier.isStatic(mods) || java.lang.reflect.Modifier.isFinal(mods)
                        && f.getType().isPrimitive(), () -> "static state in generated code: " + f);
            }
        }
        assertEquals(0, Arrays.stream(grad.getDeclaredFields())
                .filter(f -> java.lang.reflect.Modifier.isStatic(f.getModifiers())).count());
    }
}
