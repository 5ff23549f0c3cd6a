package dev.adjoint.processor;

import static dev.adjoint.processor.GradientTesting.checkFd;
import static dev.adjoint.processor.GradientTesting.grad;
import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.adjoint.testing.Grad;
import org.junit.jupiter.api.Test;

/**
 * Activity is "varied and useful" (docs/CONVENTIONS.md): a value that depends on a differentiated parameter but
 * never reaches the result along a path the derivative follows gets no adjoint code, no saves and no adjoint arrays,
 * and the gradient is unchanged.
 */
class UsefulnessTest {

    private static String source(String body, String params) {
        return """
                package use;

                import dev.adjoint.Differentiable;

                class U {
                    @Differentiable
                    static double f(%s) {
                %s
                    }
                }
                """.formatted(params, body);
    }

    @Test
    void deadIntermediateGetsNoAdjoint() {
        Grad g = grad(source("""
                        double u = Math.sin(x) * Math.exp(x);
                        double y = x * x;
                        return y;""", "double x"), "f");
        String generated = g.compilation().generatedSource("use.UGrad");
        assertFalse(generated.contains("uBar"), generated);
        assertFalse(generated.contains("Math.cos"), generated);
        for (double x : new double[] {-1.3, 0.2, 2.0}) {
            assertClose("df/dx", 2 * x, g.grad(x).scalar("x"), 0.0);
        }
    }

    /** Through a condition no derivative flows: u decides the branch but is not differentiated. */
    @Test
    void valueUsedOnlyInAConditionGetsNoAdjoint() {
        Grad g = grad(source("""
                        double u = Math.sin(x) * Math.exp(x);
                        double y;
                        if (u > 0) {
                            y = x * x;
                        } else {
                            y = 3 * x;
                        }
                        return y;""", "double x"), "f");
        String generated = g.compilation().generatedSource("use.UGrad");
        assertFalse(generated.contains("uBar"), generated);
        for (double x : new double[] {-2.0, -0.5, 0.7, 1.9}) {
            double u = Math.sin(x) * Math.exp(x);
            assertClose("df/dx at " + x, u > 0 ? 2 * x : 3, g.grad(x).scalar("x"), 0.0);
        }
        checkFd(g, r -> new Object[] {r.uniformAwayFrom(-3, 3, 1e-3, 0.0, -Math.PI)});
    }

    /** A local array filled from the parameters but never read into the result: no adjoint array, no saves. */
    @Test
    void deadArrayAndLoopStateGetNoAdjointCode() {
        Grad g = grad(source("""
                        double[] scratch = new double[v.length];
                        double u = 1;
                        double s = 0;
                        for (int i = 0; i < v.length; i++) {
                            scratch[i] = Math.exp(v[i]);
                            u = u * Math.sin(v[i]);
                            s += v[i] * v[i] * w;
                        }
                        return s;""", "double[] v, double w"), "f");
        String generated = g.compilation().generatedSource("use.UGrad");
        assertFalse(generated.contains("scratchBar"), generated);
        assertFalse(generated.contains("uBar"), generated);
        assertFalse(generated.contains("pushDouble(u)"), generated);
        double[] v = {0.3, -1.2, 2.5};
        double w = 0.7;
        Grad.Result r = g.grad(v, w);
        assertClose("df/dv", new double[] {2 * 0.3 * w, -2 * 1.2 * w, 2 * 2.5 * w}, r.vector("v"), 1e-15);
        assertClose("df/dw", 0.09 + 1.44 + 6.25, r.scalar("w"), 1e-14);
        checkFd(g, p -> new Object[] {p.vector(4, -2, 2), p.uniform(-2, 2)});
    }

    /** A parameter that only bounds a loop or picks a branch has gradient 0, and no adjoint variable. */
    @Test
    void parameterUsedOnlyInConditionsHasZeroGradient() {
        Grad g = grad(source("""
                        double y = x;
                        while (y > limit) {
                            y = y * 0.5;
                        }
                        return y;""", "double x, double limit"), "f");
        String generated = g.compilation().generatedSource("use.UGrad");
        assertFalse(generated.contains("limitBar"), generated);
        Grad.Result r = g.grad(10.0, 1.0);
        assertClose("df/dx", 1.0 / 16, r.scalar("x"), 0.0);
        assertClose("df/dlimit", 0.0, r.scalar("limit"), 0.0);
    }
}
