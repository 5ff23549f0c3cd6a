package dev.adjoint.processor;

import static dev.adjoint.processor.GradientTesting.checkFd;
import static dev.adjoint.processor.GradientTesting.grad;
import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Grad;
import org.junit.jupiter.api.Test;

/**
 * The naming contract holds for the reverse sweep's temporaries too: {@code tBar} is d(result)/dt, sign included,
 * so a user stepping through the generated code in a debugger reads true partial derivatives. Checked on the lines
 * the generator writes (each worked out by hand from the rule it cites) and on the numbers.
 */
class TemporaryAdjointsTest {

    /** y = 1/(1 + x²): with t1 = 1 + x², dy/dt1 = -1/t1² and dt1/dx = 2x. */
    @Test
    void quotientDenominatorCarriesItsSign() {
        Grad g = grad("""
                package tmp;

                import dev.adjoint.Differentiable;

                class Q {
                    @Differentiable
                    static double f(double x) {
                        double y = 1.0 / (1.0 + x * x);
                        return y;
                    }
                }
                """, "f");
        String source = g.compilation().generatedSource("tmp.QGrad");
        assertTrue(source.contains("double t1Bar = -(yBar * 1.0 / (t1 * t1)); // quotient rule: d(a/b)/db = -a/b^2"),
                source);
        assertTrue(source.contains("xBar += 2.0 * x * t1Bar; // power rule: d(x*x)/dx = 2x"), source);
        for (double x : new double[] {-1.7, -0.3, 0.4, 2.5}) {
            double closed = -2 * x / ((1 + x * x) * (1 + x * x));
            assertClose("df/dx at " + x, closed, g.grad(x).scalar("x"), 1e-14);
        }
    }

    /**
     * y = a - 1/(1 - x²): the difference rule's -1 and the quotient rule's minus cancel, so with t1 = 1 - x²,
     * dy/dt1 = +1/t1², and dt1/dx = -2x.
     */
    @Test
    void signsCancelAcrossTwoRules() {
        Grad g = grad("""
                package tmp;

                import dev.adjoint.Differentiable;

                class Q {
                    @Differentiable
                    static double f(double a, double x) {
                        double y = a - 1.0 / (1.0 - x * x);
                        return y;
                    }
                }
                """, "f");
        String source = g.compilation().generatedSource("tmp.QGrad");
        assertTrue(source.contains("double t1Bar = yBar * 1.0 / (t1 * t1);"), source);
        assertTrue(source.contains("xBar -= 2.0 * x * t1Bar;"), source);
        for (double x : new double[] {-0.7, 0.2, 0.5, 3.0}) {
            double closed = -2 * x / ((1 - x * x) * (1 - x * x));
            assertClose("df/dx at " + x, closed, g.grad(0.3, x).scalar("x"), 1e-13);
            assertClose("df/da at " + x, 1.0, g.grad(0.3, x).scalar("a"), 0.0);
        }
        checkFd(g, r -> new Object[] {r.uniform(-2, 2), r.uniform(-0.8, 0.8)});
    }
}
