package dev.adjoint.hygiene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.FiniteDifferences;
import dev.adjoint.testing.Grad;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NaN and ±Infinity inputs: the generated code never throws, {@code value()} is what {@code f} returns, and each
 * gradient component is the derivative's formula evaluated in IEEE arithmetic (so NaN where it meets a NaN,
 * ±Infinity at poles, NaN at 0·∞), the same through both overloads.
 */
class NonFiniteInputsTest {
    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    static final String SOURCE = """
            package ieee;

            import dev.adjoint.Differentiable;

            class F {
                @Differentiable
                static double mul(double x, double y) {
                    return x * y;
                }

                @Differentiable
                static double sqrt(double x) {
                    return Math.sqrt(x);
                }

                @Differentiable
                static double log(double x) {
                    return Math.log(x);
                }

                @Differentiable
                static double recip(double x) {
                    return 1 / x;
                }

                @Differentiable
                static double max(double x, double y) {
                    return Math.max(x, y) * 2;
                }

                @Differentiable
                static double pow(double x, double y) {
                    return Math.pow(x, y);
                }

                @Differentiable
                static double exp(double x) {
                    return Math.exp(x);
                }

                @Differentiable
                static double norm(double x, double y) {
                    return Math.sqrt(x * x + y * y);
                }

                @Differentiable
                static double sumSquares(double[] w) {
                    double s = 0;
                    for (int i = 0; i < w.length; i++) {
                        s += w[i] * w[i];
                    }
                    return s;
                }

                /** The trip count depends on comparisons with s, false whenever s is NaN. */
                @Differentiable
                static double halve(double x) {
                    double s = x;
                    int k = 0;
                    while (!(Math.abs(s) < 1) && k < 50) {
                        s = s / 2;
                        k++;
                    }
                    return s;
                }

                /** No trip at all when x is NaN; guarded breaks and a NaN-dependent int. */
                @Differentiable
                static double settle(double x, int n) {
                    double s = x;
                    int k = (int) x;
                    for (int i = 0; i < n; i++) {
                        if (s != s || s > 1e300) {
                            break;
                        }
                        if (s < 0.5) {
                            continue;
                        }
                        s = s * 0.5 + k * 0.0;
                    }
                    while (s > 1e-3 && s < 1) {
                        s = s * s;
                    }
                    return s * x;
                }
            }
            """;

    private static Compilation compilation;

    @BeforeAll
    static void compile() {
        compilation = Hygiene.compile(SOURCE);
    }

    private final List<String> failures = new ArrayList<>();

    /** Calls both overloads at {@code args}; checks f, value() and each gradient against the IEEE expectation. */
    private void expect(String method, Object[] args, double... expectedGrads) {
        Grad g = Grad.of(compilation, "ieee.F", method);
        String where = method + Grad.describe(args);
        double f = g.f(args);
        List<Grad.Result> results = new ArrayList<>();
        try {
            results.add(g.grad(args));
            results.add(g.gradInto(g.newResult().raw(), args));
            results.add(g.gradInto(null, args));
        } catch (RuntimeException e) {
            failures.add(where + " threw " + e);
            return;
        }
        for (Grad.Result r : results) {
            if (!same(f, r.value())) {
                failures.add(where + ": value() = " + r.value() + " but f = " + f);
            }
            double[] actual = g.differentiated().stream()
                    .flatMapToDouble(p -> java.util.Arrays.stream(FiniteDifferences.flatten(r.get(p))))
                    .toArray();
            if (actual.length != expectedGrads.length) {
                failures.add(where + ": " + actual.length + " gradient components, expected " + expectedGrads.length);
                continue;
            }
            for (int i = 0; i < actual.length; i++) {
                if (!same(expectedGrads[i], actual[i])) {
                    failures.add(String.format(Locale.ROOT, "%s: gradient[%d] = %s, IEEE arithmetic gives %s", where,
                            i, actual[i], expectedGrads[i]));
                }
            }
        }
    }

    /** Equal as IEEE values: both NaN, equal infinities, or finite and within 1e-12 (relative). */
    private static boolean same(double expected, double actual) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return expected == actual;
        }
        return FiniteDifferences.relativeError(expected, actual) <= 1e-12;
    }

    private void assertNoFailures() {
        assertTrue(failures.isEmpty(), () -> failures.size() + " failures:\n  " + String.join("\n  ", failures));
    }

    @Test
    void productWithNaNAndInfinity() {
        // d(xy)/dx = y, d(xy)/dy = x
        expect("mul", new Object[] {NAN, 2.0}, 2.0, NAN);
        expect("mul", new Object[] {2.0, NAN}, NAN, 2.0);
        expect("mul", new Object[] {INF, 0.0}, 0.0, INF);
        expect("mul", new Object[] {INF, -3.0}, -3.0, INF);
        expect("mul", new Object[] {-INF, INF}, INF, -INF);
        assertNoFailures();
    }

    @Test
    void polesAndDomainEdges() {
        expect("sqrt", new Object[] {0.0}, 1 / (2 * 0.0));            // +Infinity
        expect("sqrt", new Object[] {-1.0}, NAN);
        expect("sqrt", new Object[] {INF}, 0.0);
        expect("sqrt", new Object[] {NAN}, NAN);
        expect("log", new Object[] {0.0}, INF);                        // log(0) = -Infinity, 1/0 = +Infinity
        expect("log", new Object[] {-0.0}, -INF);
        expect("log", new Object[] {INF}, 0.0);
        expect("log", new Object[] {-1.0}, -1.0);                      // log(-1) is NaN, but 1/x is -1
        expect("recip", new Object[] {0.0}, -INF);                     // -1/x^2
        expect("recip", new Object[] {INF}, -0.0);
        expect("exp", new Object[] {1000.0}, INF);
        expect("exp", new Object[] {-INF}, 0.0);
        expect("exp", new Object[] {NAN}, NAN);
        expect("pow", new Object[] {0.0, 0.5}, INF, 0.0);              // y x^(y-1); x^y ln x, 0 at x = 0
        expect("pow", new Object[] {NAN, 2.0}, NAN, NAN);
        expect("norm", new Object[] {0.0, 0.0}, NAN, NAN);             // 2x / (2 sqrt(...)) = 0 * Infinity
        expect("norm", new Object[] {INF, 1.0}, NAN, 0.0);             // Infinity / Infinity
        assertNoFailures();
    }

    @Test
    void maxWithNaNDoesNotThrow() {
        Grad g = Grad.of(compilation, "ieee.F", "max");
        for (Object[] args : List.of(new Object[] {NAN, 1.0}, new Object[] {1.0, NAN}, new Object[] {NAN, NAN},
                new Object[] {INF, 1.0}, new Object[] {-INF, INF})) {
            Grad.Result r = g.grad(args);
            assertEquals(g.f(args), r.value(), 0.0);
            double dx = r.scalar("x");
            double dy = r.scalar("y");
            // a max picks one operand: the gradient 2 goes to at most one of them (NaN: to none, the rule's choice)
            assertTrue((dx == 2 && dy == 0) || (dx == 0 && dy == 2) || (dx == 0 && dy == 0),
                    () -> "max" + Grad.describe(args) + ": " + dx + ", " + dy);
        }
        expect("max", new Object[] {INF, 1.0}, 2.0, 0.0);
        expect("max", new Object[] {-INF, INF}, 0.0, 2.0);
        assertNoFailures();
    }

    @Test
    void arraysWithNaNElements() {
        expect("sumSquares", new Object[] {new double[] {1, NAN, -2}}, 2.0, NAN, -4.0);
        expect("sumSquares", new Object[] {new double[] {INF, 0.5}}, INF, 1.0);
        assertNoFailures();
    }

    @Test
    void loopsWhoseTripCountDependsOnNaNComparisons() {
        double twoToMinus50 = Math.pow(2, -50);
        // NaN and ±Infinity never get below 1: fifty halvings, ds/dx = 2^-50
        expect("halve", new Object[] {NAN}, twoToMinus50);
        expect("halve", new Object[] {INF}, twoToMinus50);
        expect("halve", new Object[] {-INF}, twoToMinus50);
        expect("halve", new Object[] {8.0}, 1.0 / 16);
        // settle: NaN breaks at once and never enters the while loop; f = s * x = x^2, so NaN
        expect("settle", new Object[] {NAN, 5}, NAN);
        // Infinity: breaks at once (s > 1e300); f = x * x = Infinity, df/dx = 2x = Infinity
        expect("settle", new Object[] {INF, 5}, INF);
        assertNoFailures();
    }
}
