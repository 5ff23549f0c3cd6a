package dev.adjoint.hygiene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.RandomPoints;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reuse forms ({@code f(..., out)} and {@code fJvp(..., out)}) allocate nothing once warm, the local arrays of
 * the original method included: the result owns them ({@code transform.Scratch}), and hands each call the same
 * arrays, zeroed, as {@code new double[n]} would. Allocation is counted by the JVM per thread
 * ({@code com.sun.management.ThreadMXBean}), exactly, not timed.
 */
class AllocationTest {

    /** GMM's inner loops: local arrays made once per call, read and written through their elements. */
    static final String KERNEL = """
            package alloc;

            import dev.adjoint.Differentiable;

            class Kernel {
                @Differentiable(wrt = {"q", "l"})
                static double f(double[] q, double[] l, double[][] xs, double[] mu) {
                    int d = mu.length;
                    double[] centered = new double[d];
                    double[] qx = new double[d];
                    double total = 0;
                    for (int i = 0; i < xs.length; i++) {
                        for (int j = 0; j < d; j++) {
                            centered[j] = xs[i][j] - mu[j];
                        }
                        for (int j = 0; j < d; j++) {
                            qx[j] = Math.exp(q[j]) * centered[j];
                        }
                        int at = 0;
                        for (int col = 0; col < d; col++) {
                            for (int row = col + 1; row < d; row++) {
                                qx[row] += l[at] * centered[col];
                                at++;
                            }
                        }
                        double sq = 0;
                        for (int j = 0; j < d; j++) {
                            sq += qx[j] * qx[j];
                        }
                        total += -0.5 * sq;
                    }
                    return total;
                }
            }
            """;

    /**
     * LSTM's shape: a matrix of states made once per call, its rows bound to locals ({@code h = hidden[l]}), an
     * array variable rebound from one array to another ({@code layerInput}, saved on the tape as it changes). (The
     * input is scaled by the weights here, so that every array layerInput holds is active: when it holds an array
     * that is not, as in ADBench's LSTM, it gets a zero adjoint of its own, made each time, which still
     * allocates.)
     */
    static final String RECURRENT = """
            package alloc;

            import dev.adjoint.Differentiable;

            class Recurrent {
                @Differentiable(wrt = "w")
                static double g(double[] w, double[][] xs, int layers) {
                    int b = w.length;
                    double[][] hidden = new double[layers][b];
                    double[] input = new double[b];
                    double total = 0;
                    for (int t = 0; t < xs.length; t++) {
                        for (int i = 0; i < b; i++) {
                            input[i] = xs[t][i] * w[i];
                        }
                        double[] layerInput = input;
                        for (int l = 0; l < layers; l++) {
                            double[] h = hidden[l];
                            for (int i = 0; i < b; i++) {
                                h[i] = Math.tanh(w[i] * layerInput[i] + h[i]);
                            }
                            layerInput = h;
                        }
                        for (int i = 0; i < b; i++) {
                            total += layerInput[i] * layerInput[i];
                        }
                    }
                    return total;
                }
            }
            """;

    /** Calls both reuse forms in a loop and counts what the calls allocate, compiled beside the kernel. */
    static final String HARNESS = """
            package alloc;

            final class Harness {
                private Harness() {
                }

                /** @return the bytes the current thread allocated in {@code calls} calls of the reuse forms */
                static long[] allocated(double[] q, double[] l, double[][] xs, double[] mu, int calls) {
                    com.sun.management.ThreadMXBean bean =
                            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
                    KernelGrad.FGradient out = new KernelGrad.FGradient();
                    KernelGrad.FJvp jvpOut = new KernelGrad.FJvp();
                    double[] qDot = new double[q.length];
                    double[] lDot = new double[l.length];
                    qDot[0] = 1;
                    double sink = 0;
                    for (int k = 0; k < calls; k++) { // warm: the tape and the scratch arrays reach their sizes
                        sink += KernelGrad.f(q, l, xs, mu, out).value();
                        sink += KernelGrad.fJvp(q, l, xs, mu, qDot, lDot, jvpOut).tangent();
                    }
                    long start = bean.getCurrentThreadAllocatedBytes();
                    for (int k = 0; k < calls; k++) {
                        sink += KernelGrad.f(q, l, xs, mu, out).value();
                    }
                    long gradient = bean.getCurrentThreadAllocatedBytes() - start;
                    start = bean.getCurrentThreadAllocatedBytes();
                    for (int k = 0; k < calls; k++) {
                        sink += KernelGrad.fJvp(q, l, xs, mu, qDot, lDot, jvpOut).tangent();
                    }
                    long jvp = bean.getCurrentThreadAllocatedBytes() - start;
                    return new long[] {gradient, jvp, Double.isNaN(sink) ? 1 : 0};
                }

                /** @return the bytes {@code calls} warm calls of Recurrent's reuse form allocate */
                static long recurrent(double[] w, double[][] xs, int layers, int calls) {
                    com.sun.management.ThreadMXBean bean =
                            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
                    RecurrentGrad.GGradient out = new RecurrentGrad.GGradient();
                    double sink = 0;
                    for (int k = 0; k < calls; k++) {
                        sink += RecurrentGrad.g(w, xs, layers, out).value();
                    }
                    long start = bean.getCurrentThreadAllocatedBytes();
                    for (int k = 0; k < calls; k++) {
                        sink += RecurrentGrad.g(w, xs, layers, out).value();
                    }
                    return bean.getCurrentThreadAllocatedBytes() - start + (Double.isNaN(sink) ? 1 : 0);
                }
            }
            """;

    private static Object[] point(RandomPoints r, int d, int n) {
        return new Object[] {r.vector(d, -0.5, 0.5), r.vector(d * (d - 1) / 2, -1, 1), r.matrix(n, d, -2, 2),
            r.vector(d, -1, 1)};
    }

    @Test
    void warmReuseFormsAllocateNothing() throws Exception {
        Compilation c = Hygiene.compile(KERNEL, RECURRENT, HARNESS);
        String grad = c.generatedSource("alloc.KernelGrad");
        assertTrue(grad.contains("Buffers.zeros(out.qxScratch, d)"), () -> "qx is the result's:\n" + grad);
        Object[] p = RandomPoints.points(7, 1, r -> point(r, 5, 20)).get(0);
        Method m = c.loadClass("alloc.Harness").getDeclaredMethod("allocated", double[].class, double[].class,
                double[][].class, double[].class, int.class);
        m.setAccessible(true);
        int calls = 2000;
        long[] bytes = (long[]) m.invoke(null, p[0], p[1], p[2], p[3], calls);
        // before the result owned its arrays, each call allocated its 4 local arrays (over 200 bytes at d = 5)
        assertTrue(bytes[0] < calls, () -> "the gradient's reuse form allocated " + bytes[0] + " bytes in "
                + calls + " calls");
        assertTrue(bytes[1] < calls, () -> "the JVP's reuse form allocated " + bytes[1] + " bytes in " + calls
                + " calls");
    }

    @Test
    void aMatrixWhoseRowsAreBoundToLocalsIsTheResultsToo() throws Exception {
        Compilation c = Hygiene.compile(KERNEL, RECURRENT, HARNESS);
        String grad = c.generatedSource("alloc.RecurrentGrad");
        assertTrue(grad.contains("Buffers.zeros(out.hiddenScratch, layers, b)"), () -> grad);
        assertTrue(grad.contains("Buffers.zeros(out.hiddenBarScratch, hidden)"), () -> grad);
        assertTrue(grad.contains("Buffers.zeros(out.inputScratch, b)"), () -> grad);
        Object[] p = RandomPoints.points(5, 1, r -> new Object[] {r.vector(4, -1, 1), r.matrix(6, 4, -1, 1)})
                .get(0);
        Method m = c.loadClass("alloc.Harness").getDeclaredMethod("recurrent", double[].class, double[][].class,
                int.class, int.class);
        m.setAccessible(true);
        int calls = 2000;
        long bytes = (long) m.invoke(null, p[0], p[1], 3, calls);
        assertTrue(bytes < calls, () -> "the reuse form allocated " + bytes + " bytes in " + calls + " calls");

        Grad g = Grad.of(c, "alloc.Recurrent", "g");
        Grad.Result reused = g.newResult();
        for (Object[] args : RandomPoints.points(13, 30, r -> {
            int b = r.integer(1, 5);
            return new Object[] {r.vector(b, -1, 1), r.matrix(r.integer(0, 4), b, -1, 1), r.integer(0, 3)};
        })) {
            Grad.Result fresh = g.grad(args);
            Grad.Result again = g.gradInto(reused, args);
            assertEquals(Double.doubleToRawLongBits(fresh.value()), Double.doubleToRawLongBits(again.value()));
            assertTrue(Arrays.equals(fresh.vector("w"), again.vector("w")), () -> Grad.describe(args));
        }
    }

    /** A reused result gives, bit for bit, what a fresh one gives, as the lengths change from call to call. */
    @Test
    void reusedScratchArraysGiveWhatNewOnesGive() {
        Compilation c = Hygiene.compile(KERNEL);
        Grad g = Grad.of(c, "alloc.Kernel", "f");
        Grad.Result reused = g.newResult();
        List<Object[]> inputs = RandomPoints.points(11, 40, r -> point(r, r.integer(1, 6), r.integer(0, 4)));
        for (Object[] args : inputs) {
            Grad.Result fresh = g.grad(args);
            Grad.Result again = g.gradInto(reused, args);
            assertEquals(Double.doubleToRawLongBits(fresh.value()), Double.doubleToRawLongBits(again.value()));
            assertTrue(Arrays.equals(fresh.vector("q"), again.vector("q")), () -> Grad.describe(args));
            assertTrue(Arrays.equals(fresh.vector("l"), again.vector("l")), () -> Grad.describe(args));
        }
    }

    /**
     * An array that leaves the call (here through a call that is not differentiated, its arguments being
     * constants of differentiation) stays new.
     */
    @Test
    void anArrayThatMayEscapeIsAllocatedAsTheOriginalDoes() {
        Compilation c = Hygiene.compile("""
                package alloc;

                import dev.adjoint.Differentiable;

                class Escape {
                    static double[] kept;

                    static int keep(double[] a) {
                        kept = a;
                        return a.length;
                    }

                    @Differentiable
                    static double f(double x) {
                        double[] a = new double[3];
                        double[] b = new double[2];
                        a[0] = 1.5;
                        b[1] = a[0] * x * x;
                        int n = keep(a);
                        return b[1] + n;
                    }
                }
                """);
        String grad = c.generatedSource("alloc.EscapeGrad");
        assertTrue(grad.contains("double[] a = new double[3]"), () -> "a escapes through keep:\n" + grad);
        assertTrue(grad.contains("Buffers.zeros(out.bScratch, 2)"), () -> "b does not escape:\n" + grad);
        assertFalse(grad.contains("aScratch"), grad);
    }
}
