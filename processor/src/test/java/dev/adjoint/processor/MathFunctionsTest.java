package dev.adjoint.processor;

import static dev.adjoint.processor.GradientTesting.checkFd;
import static dev.adjoint.processor.GradientTesting.grad;
import static dev.adjoint.testing.GradientCheck.assertClose;

import dev.adjoint.testing.Grad;
import dev.adjoint.testing.RandomPoints;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every supported {@code java.lang.Math} function, inside each one's domain and (for the piecewise ones) away from
 * their kinks and jumps, against finite differences; each composed with an inner expression so the chain rule is
 * exercised too.
 */
class MathFunctionsTest {

    /** (name, expression in x (and y), generator of (x) or (x, y)). */
    static Stream<Arguments> unaryAndBinary() {
        return Stream.of(
                unary("sin", "Math.sin(x)", r -> r.uniform(-4, 4)),
                unary("cos", "Math.cos(x)", r -> r.uniform(-4, 4)),
                unary("tan", "Math.tan(x)", r -> r.uniform(-1.3, 1.3)),
                unary("asin", "Math.asin(x)", r -> r.uniform(-0.9, 0.9)),
                unary("acos", "Math.acos(x)", r -> r.uniform(-0.9, 0.9)),
                unary("atan", "Math.atan(x)", r -> r.uniform(-5, 5)),
                binary("atan2", "Math.atan2(y, x)", r -> r.uniformAwayFrom(-3, 3, 0.2, 0),
                        r -> r.uniformAwayFrom(-3, 3, 0.2, 0)),
                unary("sinh", "Math.sinh(x)", r -> r.uniform(-3, 3)),
                unary("cosh", "Math.cosh(x)", r -> r.uniform(-3, 3)),
                unary("tanh", "Math.tanh(x)", r -> r.uniform(-3, 3)),
                unary("exp", "Math.exp(x)", r -> r.uniform(-5, 5)),
                unary("expm1", "Math.expm1(x)", r -> r.uniform(-3, 3)),
                unary("log", "Math.log(x)", r -> r.logUniform(0.05, 50)),
                unary("log10", "Math.log10(x)", r -> r.logUniform(0.05, 50)),
                unary("log1p", "Math.log1p(x)", r -> r.uniform(-0.9, 5)),
                unary("sqrt", "Math.sqrt(x)", r -> r.logUniform(0.05, 50)),
                unary("cbrt", "Math.cbrt(x)", r -> r.magnitude(0.1, 20)),
                binary("pow", "Math.pow(x, y)", r -> r.uniform(0.2, 3), r -> r.uniform(-2.5, 2.5)),
                unary("powIntegerExponent", "Math.pow(x, 3) + Math.pow(x, 2.0) + Math.pow(x, -2)",
                        r -> r.magnitude(0.3, 2)),
                unary("powConstantBase", "Math.pow(2.5, x)", r -> r.uniform(-3, 3)),
                binary("hypot", "Math.hypot(x, y)", r -> r.uniform(-3, 3), r -> r.magnitude(0.2, 3)),
                unary("abs", "Math.abs(x)", r -> r.magnitude(0.05, 3)),
                binary("max", "Math.max(x, y)", r -> r.uniform(-3, 3), r -> 0.0),
                binary("min", "Math.min(x, y)", r -> r.uniform(-3, 3), r -> 0.0),
                unary("signum", "Math.signum(x) * x * x", r -> r.magnitude(0.05, 3)),
                unary("floor", "Math.floor(x) * x + Math.floor(x * x)", r -> nonInteger(r, 0.05)),
                unary("ceil", "Math.ceil(x) * x + Math.ceil(2 * x)", r -> nonInteger(r, 0.05)),
                unary("rint", "Math.rint(x) * x + Math.rint(x) ", r -> nonHalfInteger(r, 0.05)));
    }

    static Arguments unary(String name, String expression, Function<RandomPoints, Double> x) {
        return Arguments.of(name, expression, false, x, null);
    }

    static Arguments binary(String name, String expression, Function<RandomPoints, Double> x,
            Function<RandomPoints, Double> y) {
        return Arguments.of(name, expression, true, x, y);
    }

    /** Away from integers (and from the integers' square roots, for floor(x²)) by {@code margin}. */
    static double nonInteger(RandomPoints r, double margin) {
        while (true) {
            double x = r.uniform(-3, 3);
            if (Math.abs(x - Math.rint(x)) > margin && Math.abs(x * x - Math.rint(x * x)) > margin
                    && Math.abs(2 * x - Math.rint(2 * x)) > margin) {
                return x;
            }
        }
    }

    static double nonHalfInteger(RandomPoints r, double margin) {
        while (true) {
            double x = r.uniform(-3, 3);
            double frac = x - Math.floor(x);
            if (Math.abs(frac - 0.5) > margin) {
                return x;
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("unaryAndBinary")
    void mathFunction(String name, String expression, boolean binary, Function<RandomPoints, Double> x,
            Function<RandomPoints, Double> y) {
        String cls = "Fn" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
        String params = binary ? "double x, double y" : "double x";
        // The inner expression u(x) = x (or its composition below) is the identity near the point, so the
        // function's own domain is what the generator draws from; the outer composition checks the chain rule.
        String source = """
                package math;

                import dev.adjoint.Differentiable;

                class %s {
                    @Differentiable
                    static double f(%s) {
                        double v = %s;
                        return v * v + 3 * v;
                    }
                }
                """.formatted(cls, params, expression);
        Function<RandomPoints, Object[]> generator = binary
                ? r -> {
                    double a = x.apply(r);
                    double b = y.apply(r);
                    if (name.equals("max") || name.equals("min")) {
                        b = a + r.magnitude(0.1, 1);   // away from the kink x = y
                    }
                    return new Object[] {a, b};
                }
                : r -> new Object[] {x.apply(r)};
        checkFd(source, "f", generator);
    }

    @Test
    void mathFunctionsOfActiveAndInactiveArguments() {
        // max/min/abs of ints, and Math functions of inactive values, are constants.
        checkFd("""
                package math;

                import dev.adjoint.Differentiable;

                class MixedActivity {
                    @Differentiable
                    static double f(double x, int n, double[] data) {
                        int m = Math.max(n, 2) + Math.abs(n) - Math.min(n, 0);
                        double c = Math.sqrt(m) + Math.exp(-m);
                        return Math.pow(x, 2) * c + Math.max(x, 0.0) * Math.log(m + 1) + data.length;
                    }
                }
                """, "f", r -> new Object[] {r.magnitude(0.1, 3), r.integer(-4, 4), r.vector(2, 0, 1)});
    }

    @Test
    void knownDerivatives() {
        // A few exact values, independent of finite differences.
        Grad g = grad("""
                package math;

                import dev.adjoint.Differentiable;

                class Known {
                    @Differentiable
                    static double f(double x, double y) {
                        return Math.atan2(y, x) + Math.hypot(x, y) + Math.pow(x, y) + Math.log10(x);
                    }
                }
                """, "f");
        double x = 1.5;
        double y = 0.5;
        Grad.Result r = g.grad(x, y);
        double rr = x * x + y * y;
        double dx = -y / rr + x / Math.sqrt(rr) + y * Math.pow(x, y - 1) + 1 / (x * Math.log(10));
        double dy = x / rr + y / Math.sqrt(rr) + Math.pow(x, y) * Math.log(x);
        assertClose("∂f/∂x", dx, r.scalar("x"), 1e-12);
        assertClose("∂f/∂y", dy, r.scalar("y"), 1e-12);
    }
}
