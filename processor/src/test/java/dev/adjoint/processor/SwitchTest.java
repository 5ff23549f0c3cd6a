package dev.adjoint.processor;

import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.JacobianCheck;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.RandomPoints;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code switch} on an int, in its Java 17 forms, desugared into ifs by the parser: arrow and colon cases,
 * fall-through, {@code break} (which breaks the switch, not the loop around it) and {@code continue}, several labels
 * per case, {@code default} anywhere, switch expressions with {@code yield}, in loops and helpers. Each method is
 * checked against finite differences and forward against reverse mode ({@link GradientCheck}, the value bit for
 * bit), at points that take every case, and against a closed form where one is easy; the value is Java's own.
 */
class SwitchTest {
    private static final String SWITCHES = """
            package sw;

            import dev.adjoint.Differentiable;

            class Switches {
                static final int TANH = 2;

                /** Arrow cases, several labels, default in the middle, a constant as a label. */
                @Differentiable
                static double activation(double z, int kind) {
                    double y;
                    switch (kind) {
                        case 0 -> y = z;
                        case 1, 4 -> y = Math.max(0, z);
                        default -> {
                            double e = Math.exp(-z);
                            y = 1 / (1 + e);
                        }
                        case TANH -> y = Math.tanh(z);
                    }
                    return y * z;
                }

                /** Colon cases that fall through (a partial Horner sum), break, and a default that does not. */
                @Differentiable
                @SuppressWarnings("fallthrough")
                static double tail(double[] c, double x, int r) {
                    double s = 0;
                    switch (r) {
                        case 3:
                            s += c[2] * x * x;
                        case 2:
                            s += c[1] * x;
                        case 1:
                            s += c[0];
                            break;
                        default:
                            s = -x;
                    }
                    return s;
                }

                /** Fall-through into a default in the middle, a break inside an if, and a local used by a later case. */
                @Differentiable
                @SuppressWarnings("fallthrough")
                static double fallIntoDefault(double x, int k) {
                    double s = x;
                    switch (k % 4) {
                        case 0:
                            double t = x * x;
                            s += t;
                            if (x > 0.5) {
                                break;
                            }
                        default:
                            s *= 3;
                        case 2:
                            t = Math.sin(x);
                            s += t * x;
                            break;
                        case 3:
                            s -= 1;
                    }
                    return s;
                }

                /** In a loop: break breaks the switch (the loop goes on), continue continues the loop. */
                @Differentiable
                static double inALoop(double[] v, int[] op) {
                    double acc = 0;
                    for (int i = 0; i < v.length; i++) {
                        switch (op[i % op.length]) {
                            case 0:
                                acc += v[i];
                                break;
                            case 1:
                                acc *= v[i];
                                break;
                            case 2:
                                continue;
                            default:
                                acc = Math.sin(acc) + v[i];
                        }
                        acc = acc * 0.9;
                    }
                    return acc;
                }

                /** A labeled switch left from inside a loop in a case, and a loop labeled around it. */
                @Differentiable
                static double labeled(double[] v, int k) {
                    double s = 0;
                    outer:
                    for (int round = 0; round < 3; round++) {
                        cases:
                        switch (k + round) {
                            case 1, 2:
                                for (int i = 0; i < v.length; i++) {
                                    if (v[i] * s > 2) {
                                        break cases;
                                    }
                                    if (v[i] < -0.9) {
                                        break outer;
                                    }
                                    s += v[i] * v[i];
                                }
                                s *= 0.5;
                                break;
                            default:
                                s += v[0];
                        }
                        s += 0.25 * s;
                    }
                    return s;
                }

                /** Switch expressions: arrow with a block and yield, a value per case, as an initializer and a return. */
                @Differentiable
                static double interpolate(double[] y, double t, int mode) {
                    int n = y.length - 1;
                    double u = t * n;
                    int i = Math.min((int) u, n - 1);
                    double w = u - i;
                    double a = switch (mode) {
                        case 0 -> y[i];
                        case 1 -> (1 - w) * y[i] + w * y[i + 1];
                        default -> {
                            double s = w * w * (3 - 2 * w);
                            yield (1 - s) * y[i] + s * y[i + 1];
                        }
                    };
                    return switch (mode) {
                        case 0, 1 -> a;
                        default -> a * a;
                    };
                }

                /** A colon switch expression, with fall-through and yield; var, whose type the cases decide. */
                @Differentiable
                static double colonExpression(double x, int k) {
                    var v = switch (k) {
                        case 0:
                            x = x * 2;
                        case 1:
                            yield x * x;
                        case 2: {
                            if (x > 0) {
                                yield Math.sqrt(x);
                            }
                            yield 1;
                        }
                        default:
                            yield k;
                    };
                    return v * x;
                }

                /** A switch expression that chooses an array (aliasing), nested switches, compound assignments. */
                @Differentiable
                static double choose(double[] a, double[] b, double c, int k) {
                    double[] pick = switch (k % 3) {
                        case 0 -> a;
                        case 1 -> b;
                        default -> k > 4 ? a : b;
                    };
                    double s = 0;
                    for (int i = 0; i < pick.length; i++) {
                        s += switch (i % 2) {
                            case 0 -> pick[i] * c;
                            default -> switch (k) {
                                case 1 -> pick[i];
                                default -> {
                                    double q = pick[i] - c;
                                    yield q * q;
                                }
                            };
                        };
                    }
                    double[] acc = new double[2];
                    acc[1] += switch (k) {
                        case 0, 1 -> c * c;
                        default -> s;
                    };
                    return s + acc[1] * a[0];
                }

                /** char constants as the labels of a switch on an int. */
                @Differentiable
                static double chars(double x, int code) {
                    switch (code) {
                        case 'a':
                            return x * x;
                        case 'b':
                            return Math.exp(x);
                        default:
                            return x;
                    }
                }

                /** A switch in a helper, differentiated through where it is called. */
                static double piece(double x, int k) {
                    return switch (k) {
                        case 0 -> x;
                        case 1 -> x * x;
                        default -> Math.cos(x);
                    };
                }

                @Differentiable
                static double helper(double[] x) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        s += piece(x[i], i % 3);
                    }
                    return s;
                }

                /** A vector result built case by case, for its Jacobian. */
                @Differentiable
                static double[] rotated(double[] x, int quarter) {
                    double[] r = new double[2];
                    switch (quarter & 3) {
                        case 0 -> {
                            r[0] = x[0];
                            r[1] = x[1];
                        }
                        case 1 -> {
                            r[0] = -x[1];
                            r[1] = x[0];
                        }
                        case 2 -> {
                            r[0] = -x[0];
                            r[1] = -x[1];
                        }
                        default -> {
                            r[0] = x[1];
                            r[1] = -x[0] * x[1];
                        }
                    }
                    return r;
                }
            }
            """;

    private static final Compilation COMPILED = Javac.adjoint().strict().compile(SWITCHES).assertSucceeded();

    private static Grad grad(String method) {
        return Grad.of(COMPILED, "sw.Switches", method);
    }

    private static void check(String method, long seed, Function<RandomPoints, Object[]> generator) {
        GradientCheck.of(grad(method)).valueTolerance(0).atAll(RandomPoints.points(seed, 16, generator))
                .assertPassed(16, 0.2);
    }

    @Test
    void arrowCasesWithSeveralLabelsAndDefaultInTheMiddle() {
        check("activation", 1, p -> new Object[] {p.uniformAwayFrom(-2, 2, 0.05, 0), p.integer(0, 6)});
        Grad g = grad("activation");
        double z = 0.7;
        double sig = 1 / (1 + Math.exp(-z));
        assertClose("kind 0: d z²/dz", 2 * z, g.grad(z, 0).scalar("z"), 1e-15);
        assertClose("kind 4: d z·relu(z)/dz", 2 * z, g.grad(z, 4).scalar("z"), 1e-15);
        assertClose("kind 2: d z tanh z/dz", Math.tanh(z) + z * (1 - Math.tanh(z) * Math.tanh(z)),
                g.grad(z, 2).scalar("z"), 1e-15);
        assertClose("kind 3 (default): d z σ(z)/dz", sig + z * sig * (1 - sig), g.grad(z, 3).scalar("z"), 1e-15);
    }

    @Test
    void colonCasesFallThrough() {
        check("tail", 2, p -> new Object[] {p.vector(3, -1, 1), p.uniform(-2, 2), p.integer(0, 4)});
        Grad g = grad("tail");
        double[] c = {1, 2, 3};
        double x = 0.5;
        Grad.Result three = g.grad(c, x, 3);
        assertEquals(3 * x * x + 2 * x + 1, three.value(), 0);
        assertClose("r = 3: ∂/∂x = 2 c2 x + c1", 2 * 3 * x + 2, three.scalar("x"), 1e-15);
        assertClose("r = 3: ∂/∂c", new double[] {1, x, x * x}, three.vector("c"), 0);
        Grad.Result two = g.grad(c, x, 2);
        assertClose("r = 2: ∂/∂c", new double[] {1, x, 0}, two.vector("c"), 0);
        assertClose("r = 7 (default): ∂/∂x", -1, g.grad(c, x, 7).scalar("x"), 0);
    }

    @Test
    void fallThroughIntoADefaultInTheMiddleAndABreakInAnIf() {
        check("fallIntoDefault", 3, p -> new Object[] {p.uniformAwayFrom(-1, 1, 0.02, 0.5), p.integer(0, 8)});
        Grad g = grad("fallIntoDefault");
        // k = 0, x = 0.25: s = 3 (x + x²) + sin(x) x
        double x = 0.25;
        assertClose("k = 0, x ≤ 0.5", 3 * (1 + 2 * x) + Math.cos(x) * x + Math.sin(x), g.grad(x, 0).scalar("x"),
                1e-15);
        // x = 0.75 > 0.5: the break leaves after s = x + x²
        assertClose("k = 0, x > 0.5", 1 + 2 * 0.75, g.grad(0.75, 0).scalar("x"), 1e-15);
    }

    @Test
    void breakBreaksTheSwitchAndContinueTheLoop() {
        check("inALoop", 4, p -> new Object[] {p.vector(7, -1, 1), p.integers(3, 0, 4)});
        // op 2 skips the rest of the iteration, the 0.9 included
        Grad g = grad("inALoop");
        double[] v = {0.5, 0.25, 2};
        Grad.Result r = g.grad(v, new int[] {0, 2, 0});
        assertEquals((0.5 * 0.9 + 2) * 0.9, r.value(), 1e-15);
        assertClose("∂/∂v", new double[] {0.81, 0, 0.9}, r.vector("v"), 1e-15);
    }

    @Test
    void labeledSwitchLeftFromALoopInsideACase() {
        check("labeled", 5, p -> new Object[] {p.vector(4, -1, 1.5), p.integer(0, 3)});
    }

    @Test
    void switchExpressionsWithYieldAsInitializerAndReturn() {
        check("interpolate", 6, p -> new Object[] {p.vector(5, -1, 1), p.uniform(0, 0.999), p.integer(0, 3)});
        // linear interpolation: d/dy at t between knots 1 and 2 of 4 intervals
        Grad.Result r = grad("interpolate").grad(new double[] {0, 1, 2, 3, 4}, 0.375, 1);
        assertClose("∂/∂y", new double[] {0, 0.5, 0.5, 0, 0}, r.vector("y"), 1e-15);
        assertClose("∂/∂t = n (y2 - y1)", 4, r.scalar("t"), 1e-15);
    }

    @Test
    void colonSwitchExpressionWithFallThroughAndVar() {
        check("colonExpression", 7, p -> new Object[] {p.uniformAwayFrom(-2, 2, 0.05, 0), p.integer(0, 4)});
        Grad g = grad("colonExpression");
        double x = 1.5;
        // k = 0: x becomes 2x, v = (2x)², f = (2x)³
        assertClose("k = 0", 3 * 8 * x * x, g.grad(x, 0).scalar("x"), 1e-13);
        assertClose("k = 2, x > 0: f = x^1.5", 1.5 * Math.sqrt(x), g.grad(x, 2).scalar("x"), 1e-15);
        assertClose("k = 3: f = 3x", 3, g.grad(x, 3).scalar("x"), 0);
    }

    @Test
    void switchExpressionsChoosingArraysNestedAndInCompoundAssignments() {
        check("choose", 8, p -> new Object[] {p.vector(4, -1, 1), p.vector(4, -1, 1), p.uniform(-1, 1),
            p.integer(0, 7)});
    }

    @Test
    void charLabels() {
        check("chars", 9, p -> new Object[] {p.uniform(-1, 1), p.oneOf(97, 98, 99)});
        assertClose("'a': 2x", 1.0, grad("chars").grad(0.5, (int) 'a').scalar("x"), 0);
    }

    @Test
    void switchInAHelperDifferentiatedThrough() {
        check("helper", 10, p -> new Object[] {p.vector(6, -2, 2)});
        double[] x = {0.5, 0.5, 0.5};
        assertClose("∂/∂x", new double[] {1, 1, -Math.sin(0.5)}, grad("helper").grad((Object) x).vector("x"), 1e-15);
    }

    @Test
    void aVectorResultBuiltCaseByCase() {
        JacobianCheck j = JacobianCheck.of(COMPILED, "sw.Switches", "rotated", "x");
        RandomPoints.points(11, 12, p -> new Object[] {p.vector(2, -1, 1), p.integer(0, 8)}).forEach(j::at);
        j.assertPassed();
    }

    /**
     * Edge forms, against Java's own values and finite differences: empty switches, a selector with a side effect,
     * label-only cases, nested switches with break, continue in a do loop, a yield from inside a loop, a throwing
     * default, switch expressions of arrays and booleans, a colon case's local used (and an array reallocated) in a
     * later case, labeled continue and break from a switch in nested loops, a switch whose every case returns.
     */
    private static final String EDGES = """
            package edges;

            import dev.adjoint.Differentiable;

            class S {
                @Differentiable
                @SuppressWarnings("fallthrough")
                static double edge(double x, int k) {
                    int i = k;
                    switch (k) {}
                    switch (i++) {}
                    switch (k) { default: }
                    switch (k) { case 1: }
                    switch (k) { case 1: default: x = x * 1.5; }
                    double s = x;
                    do {
                        switch (i % 3) {
                            case 0:
                                switch (k) {
                                    case 1 -> { if (s > 1) break; s += 1; }
                                    default -> s *= 1.1;
                                }
                                s += x;
                                break;
                            case 1:
                                i++;
                                continue;
                            default:
                                s = s * x;
                        }
                        i++;
                    } while (i < k + 5);
                    return s;
                }

                static double h(double x, int k) {
                    if (x > 3) {
                        return 0;
                    }
                    return switch (k) {
                        case 0 -> x;
                        case 1 -> { for (int j = 0; j < 5; j++) { if (j * x > 1) { yield j * x; } } yield -x; }
                        default -> throw new IllegalArgumentException("k");
                    };
                }

                @Differentiable
                static double arrays(double x, int k) {
                    double[] a = switch (k) { case 0 -> new double[] {x, 2 * x}; default -> new double[] {x * x, 1}; };
                    var b = switch (k) { case 0 -> x > 0; default -> x < 0.5; };
                    if (b) {
                        a[0] += 1;
                    }
                    double t = switch (k) {
                        case 0:
                            for (int j = 0; j < 3; j++) {
                                if (j > k) break;
                                a[1] += x;
                            }
                            yield a[1];
                        default:
                            yield h(x, k % 2);
                    };
                    return a[0] * t;
                }

                @Differentiable
                @SuppressWarnings("fallthrough")
                static double hoisted(double x, int k) {
                    switch (k) {
                        case 0:
                            double[] t = new double[2];
                            t[0] = x;
                        case 1:
                            t = new double[3];
                            t[0] = x * x;
                            t[1] = Math.sin(x);
                            return t[0] + t[1];
                        default:
                            break;
                    }
                    int[] idx = {k};
                    switch (idx[0]) {
                        case 2:
                            idx[0] = 3;
                        case 3:
                            x = x * 3;
                    }
                    outer:
                    for (int r = 0; r < 3; r++) {
                        for (int c = 0; c < 3; c++) {
                            switch (r + c) {
                                case 2: continue outer;
                                case 3: break outer;
                                default: x += 0.1 * x;
                            }
                        }
                    }
                    return x;
                }

                @Differentiable
                static double allReturn(double x, int k) {
                    switch (k) {
                        case 0: return x;
                        case 1: { return x * x; }
                        default: return Math.exp(x);
                    }
                }
            }
            """;

    @Test
    void edgeFormsAgainstJavasValues() {
        Compilation c = Javac.adjoint().strict().compile(EDGES).assertSucceeded();
        for (String m : new String[] {"edge", "arrays", "hoisted", "allReturn"}) {
            GradientCheck.of(Grad.of(c, "edges.S", m)).valueTolerance(0).atAll(RandomPoints.points(3, 30,
                    p -> new Object[] {p.uniform(-2, 2.9), p.integer(0, 4)})).assertPassed(30, 0.3);
        }
    }

    /** The switch is gone from the generated code: an if/else chain, with the selector evaluated once. */
    @Test
    void theGeneratedCodeIsAnIfElseChain() {
        String generated = COMPILED.generatedSource("sw.SwitchesGrad");
        assertFalse(generated.contains("yield"), "no yield left");
        assertFalse(generated.contains("case 'a'"), "no case left");
    }
}
