package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Javac;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The same input always gives byte-identical generated sources. */
class DeterminismTest {

    static final String MODEL = """
            package det;

            import dev.adjoint.Differentiable;

            class Model {
                static final double EPS = 1e-9;

                @Differentiable(wrt = {"w", "b"})
                static double loss(double[] w, double b, double[][] xs, double[] ys) {
                    double cost = 0;
                    for (int i = 0; i < xs.length; i++) {
                        double z = b;
                        for (int j = 0; j < w.length; j++) {
                            z += w[j] * xs[i][j];
                        }
                        double p = 1 / (1 + Math.exp(-z));
                        cost -= ys[i] * Math.log(p + EPS) + (1 - ys[i]) * Math.log(1 - p + EPS);
                    }
                    return cost / xs.length;
                }

                @Differentiable
                static double loss(double x) {
                    double s = 0;
                    int k = 0;
                    while (Math.abs(x) > 1e-3 && k < 20) {
                        x = Math.sin(x);
                        s += x * x;
                        k++;
                    }
                    return s;
                }

                @Differentiable
                static double value(double[][] m, double value) {
                    double t = value;
                    outer:
                    for (double[] row : m) {
                        for (double e : row) {
                            if (e > 10) {
                                break outer;
                            }
                            t = t * e + Math.hypot(e, t);
                        }
                    }
                    return t;
                }

                static class Inner {
                    @Differentiable
                    static double g(double a, double b) {
                        return a > b ? Math.pow(a, b) : Math.atan2(a, b);
                    }
                }
            }
            """;

    static final String OTHER = """
            package det;

            import dev.adjoint.Differentiable;

            class Other {
                @Differentiable
                static double h(double[] v) {
                    double[] u = new double[v.length];
                    for (int i = 0; i < v.length; i++) {
                        u[i] = v[i] * v[i];
                    }
                    double s = 0;
                    for (double e : u) {
                        s += Math.sqrt(1 + e);
                    }
                    return s;
                }
            }
            """;

    @Test
    void twoCompilesGiveIdenticalSources() {
        Compilation first = Javac.adjoint().compile(MODEL).assertSucceeded();
        Compilation second = Javac.adjoint().compile(MODEL).assertSucceeded();
        assertFalse(first.generatedSources().isEmpty(), "nothing was generated\n" + first.report());
        assertIdentical(first, second);
    }

    @Test
    void compileOrderAndCompanionsDoNotMatter() {
        Map<String, String> forward = new LinkedHashMap<>();
        forward.put("det.Model", MODEL);
        forward.put("det.Other", OTHER);
        Map<String, String> backward = new LinkedHashMap<>();
        backward.put("det.Other", OTHER);
        backward.put("det.Model", MODEL);
        Compilation a = Javac.adjoint().compile(forward).assertSucceeded();
        Compilation b = Javac.adjoint().compile(backward).assertSucceeded();
        assertEquals(List.of("det.ModelGrad", "det.Model_InnerGrad", "det.OtherGrad"),
                List.copyOf(a.generatedSources().keySet()), a::report);
        assertIdentical(a, b);
        Compilation alone = Javac.adjoint().compile(MODEL).assertSucceeded();
        assertArrayEquals(bytes(alone.generatedSource("det.ModelGrad")), bytes(a.generatedSource("det.ModelGrad")));
    }

    @Test
    void concurrentCompilesGiveIdenticalSources() throws Exception {
        Compilation reference = Javac.adjoint().compile(MODEL).assertSucceeded();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Compilation>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(pool.submit(() -> Javac.adjoint().compile(MODEL)));
            }
            for (Future<Compilation> f : futures) {
                assertIdentical(reference, f.get().assertSucceeded());
            }
        } finally {
            pool.shutdown();
        }
    }

    static void assertIdentical(Compilation a, Compilation b) {
        assertEquals(a.generatedSources().keySet(), b.generatedSources().keySet());
        for (String name : a.generatedSources().keySet()) {
            assertArrayEquals(bytes(a.generatedSource(name)), bytes(b.generatedSource(name)),
                    () -> name + " differs:\n" + a.generatedSource(name) + "\n-----\n" + b.generatedSource(name));
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
