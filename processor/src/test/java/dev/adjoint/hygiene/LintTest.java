package dev.adjoint.hygiene;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Javac;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Generated code compiles without a single warning under {@code -Xlint:all}: with the harness's strict mode
 * ({@code -Xlint:all,-processing -Werror}) and with plain {@code -Xlint:all -Werror}, where javac also reports
 * annotations no processor claimed.
 */
class LintTest {

    /** Touches the tape, buffers for arrays and matrices, overloads, nested classes, constants and early exits. */
    static final String RICH = """
            package lint;

            import dev.adjoint.Differentiable;

            public class Rich {
                static final double EPS = 1e-9;

                @Differentiable
                public static double loss(double[] w, double[][] xs, double[] ys, double b) {
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

                @Differentiable(wrt = "x")
                public static double loss(double x, int n, long seed, boolean flip) {
                    double s = x;
                    int k = 0;
                    while (Math.abs(s) > 1e-3 && k < n) {
                        s = flip ? Math.sin(s) : Math.cos(s) * 0.5;
                        k++;
                        if (seed < 0 && k > 3) {
                            break;
                        }
                    }
                    double[][] m = new double[2][2];
                    m[0][0] = s;
                    m[1][1] = s * x;
                    return m[0][0] + m[1][1] + (double) seed * 0;
                }

                static class Nested {
                    @Differentiable
                    static double value(double value, double[] hashCode) {
                        double t = value;
                        for (double h : hashCode) {
                            t = t * h + Math.max(t, h);
                        }
                        return t;
                    }
                }
            }
            """;

    @Test
    void strictModeHasNoWarnings() {
        Compilation c = Javac.adjoint().strict().compile(RICH).assertSucceededWithoutWarnings();
        assertTrue(c.hasGeneratedSource("lint.RichGrad") && c.hasGeneratedSource("lint.Rich_NestedGrad"),
                c::report);
    }

    private static Javac xlintAll() {
        return Javac.adjoint().withBaseOptions(List.of("-Xlint:all", "-parameters"));
    }

    /** With -Xlint:processing on, @Differentiable itself is claimed, so javac does not call it unclaimed. */
    @Test
    void differentiableIsClaimed() {
        Compilation c = xlintAll().compile(RICH).assertSucceeded();
        assertTrue(c.warnings().stream().noneMatch(d -> d.message().contains("dev.adjoint.Differentiable")),
                c::report);
    }

    /**
     * The whole file under plain {@code -Xlint:all -Werror}. Fails today: the generated class carries
     * {@code @javax.annotation.processing.Generated}, which no processor claims in the round that compiles it
     * ("No processor claimed any of these annotations: java.compiler/javax.annotation.processing.Generated").
     */
    @Test
    void plainXlintAllWithWerror() {
        xlintAll().strict().compile(RICH).assertSucceededWithoutWarnings();
    }
}
