package dev.adjoint.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/**
 * Tests of the harness itself, with a fake processor that writes a hand-written {@code CGrad} through the Filer,
 * so they pass whatever state the real processor is in.
 */
class HarnessSelfTest {

    static final String C = """
            package p;

            import dev.adjoint.Differentiable;

            public class C {
                @Differentiable
                static double f(double x, double y) {
                    return 3 * x * x * y;
                }

                @Differentiable
                static double dot(double[] w, double[][] m, int k) {
                    double s = 0;
                    for (int i = 0; i < m.length; i++) {
                        for (int j = 0; j < w.length; j++) {
                            s += w[j] * m[i][j] * (i + k);
                        }
                    }
                    return s;
                }

                @Differentiable
                static double abs(double x) {
                    return Math.abs(x);
                }
            }
            """;

    /** What the real processor should write for C, by hand; {@code WRONG} is replaced by 0 or 1. */
    static final String C_GRAD = """
            package p;

            import javax.annotation.processing.Generated;

            @Generated("hand")
            public final class CGrad {
                private CGrad() {}

                public static FGradient f(double x, double y) {
                    return f(x, y, null);
                }

                public static FGradient f(double x, double y, FGradient out) {
                    if (out == null) {
                        out = new FGradient();
                    }
                    out.value = 3 * x * x * y;
                    out.x = 6 * y * x + WRONG;
                    out.y = 3 * x * x;
                    return out;
                }

                public static DotGradient dot(double[] w, double[][] m, int k) {
                    return dot(w, m, k, null);
                }

                public static DotGradient dot(double[] w, double[][] m, int k, DotGradient out) {
                    if (out == null) {
                        out = new DotGradient();
                    }
                    if (out.w == null || out.w.length != w.length) {
                        out.w = new double[w.length];
                    }
                    if (out.m == null || out.m.length != m.length) {
                        out.m = new double[m.length][];
                    }
                    double s = 0;
                    java.util.Arrays.fill(out.w, 0);
                    for (int i = 0; i < m.length; i++) {
                        if (out.m[i] == null || out.m[i].length != m[i].length) {
                            out.m[i] = new double[m[i].length];
                        }
                        for (int j = 0; j < w.length; j++) {
                            s += w[j] * m[i][j] * (i + k);
                            out.w[j] += m[i][j] * (i + k);
                            out.m[i][j] = w[j] * (i + k);
                        }
                    }
                    out.value = s;
                    return out;
                }

                public static AbsGradient abs(double x) {
                    AbsGradient out = new AbsGradient();
                    out.value = Math.abs(x);
                    out.x = x > 0 ? 1 : -1;
                    return out;
                }

                public static FJvp fJvp(double x, double y, double xDot, double yDot) {
                    FJvp out = new FJvp();
                    out.value = 3 * x * x * y;
                    out.tangent = (6 * y * x + WRONG) * xDot + (3 * x * x + JVP_WRONG) * yDot;
                    return out;
                }

                public static DotJvp dotJvp(double[] w, double[][] m, int k, double[] wDot, double[][] mDot) {
                    DotJvp out = new DotJvp();
                    for (int i = 0; i < m.length; i++) {
                        for (int j = 0; j < w.length; j++) {
                            out.value += w[j] * m[i][j] * (i + k);
                            out.tangent += (wDot[j] * m[i][j] + w[j] * mDot[i][j]) * (i + k);
                        }
                    }
                    return out;
                }

                public static AbsJvp absJvp(double x, double xDot) {
                    AbsJvp out = new AbsJvp();
                    out.value = Math.abs(x);
                    out.tangent = (x > 0 ? 1 : -1) * xDot;
                    return out;
                }

                public static final class FJvp {
                    double value;
                    double tangent;

                    public double value() {
                        return value;
                    }

                    public double tangent() {
                        return tangent;
                    }
                }

                public static final class DotJvp {
                    double value;
                    double tangent;

                    public double value() {
                        return value;
                    }

                    public double tangent() {
                        return tangent;
                    }
                }

                public static final class AbsJvp {
                    double value;
                    double tangent;

                    public double value() {
                        return value;
                    }

                    public double tangent() {
                        return tangent;
                    }
                }

                public static final class FGradient {
                    double value;
                    double x;
                    double y;

                    public FGradient() {}

                    public double value() {
                        return value;
                    }

                    public double x() {
                        return x;
                    }

                    public double y() {
                        return y;
                    }
                }

                public static final class DotGradient {
                    double value;
                    double[] w;
                    double[][] m;

                    public DotGradient() {}

                    public double value() {
                        return value;
                    }

                    public double[] w() {
                        return w;
                    }

                    public double[][] m() {
                        return m;
                    }
                }

                public static final class AbsGradient {
                    double value;
                    double x;

                    public AbsGradient() {}

                    public double value() {
                        return value;
                    }

                    public double x() {
                        return x;
                    }
                }
            }
            """;

    /** Writes fixed sources on the first round, like a processor would. */
    static class FakeProcessor extends AbstractProcessor {
        private final Map<String, String> toWrite;
        private boolean done;

        FakeProcessor(Map<String, String> toWrite) {
            this.toWrite = toWrite;
        }

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("dev.adjoint.Differentiable");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
            if (done) {
                return false;
            }
            done = true;
            toWrite.forEach((name, text) -> {
                try (Writer w = processingEnv.getFiler().createSourceFile(name).openWriter()) {
                    w.write(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return false;
        }
    }

    static Javac fake(String cGrad) {
        return Javac.adjoint().withProcessors(() -> List.of(new FakeProcessor(Map.of("p.CGrad", cGrad))));
    }

    static Compilation compileFake(boolean wrong) {
        return compileFake(wrong, false);
    }

    /** @param wrongJvp whether fJvp's tangent is off by yDot, while the gradient is right */
    static Compilation compileFake(boolean wrong, boolean wrongJvp) {
        return fake(C_GRAD.replace("JVP_WRONG", wrongJvp ? "1" : "0").replace("WRONG", wrong ? "1" : "0")).strict()
                .compile(C).assertSucceeded();
    }

    @Test
    void capturesGeneratedSourcesAndLoadsClasses() {
        Compilation c = compileFake(false);
        assertTrue(c.succeeded());
        assertTrue(c.warnings().isEmpty(), c::report);
        assertEquals(Set.of("p.CGrad"), c.generatedSources().keySet());
        assertTrue(c.generatedSource("p.CGrad").contains("public final class CGrad"));
        assertTrue(c.classNames().contains("p.CGrad$FGradient"), c.classNames()::toString);
        Class<?> cls = c.loadClass("p.CGrad");
        assertSame(c.classLoader(), cls.getClassLoader());
        assertSame(cls.getClassLoader(), c.loadClass("p.C").getClassLoader());
        assertThrows(AssertionError.class, () -> c.generatedSource("p.Nope"));
        assertThrows(AssertionError.class, () -> c.loadClass("p.Nope"));
    }

    @Test
    void eachCompilationHasItsOwnClassLoader() {
        Compilation a = compileFake(false);
        Compilation b = compileFake(false);
        assertNotEquals(a.loadClass("p.C"), b.loadClass("p.C"));
    }

    @Test
    void gradReadsValueAndAccessors() {
        Grad g = Grad.of(compileFake(false), "p.C", "f");
        assertEquals(List.of("x", "y"), g.parameterNames());
        assertEquals(List.of("x", "y"), g.differentiated());
        assertEquals(12.0, g.f(2.0, 1.0));
        Grad.Result r = g.grad(2.0, 1.0);
        assertEquals(12.0, r.value());
        assertEquals(12.0, r.scalar("x"));
        assertEquals(12.0, r.scalar("y"));
        // out overload reuses the object
        Grad.Result out = g.newResult();
        Grad.Result r2 = g.gradInto(out, 1.0, 1.0);
        assertSame(out.raw(), r2.raw());
        assertEquals(3.0, r2.value());
    }

    @Test
    void gradHandlesArraysAndIntParameters() {
        Grad g = Grad.of(compileFake(false), "p.C", "dot");
        assertEquals(List.of("w", "m"), g.differentiated());
        assertEquals(List.of("w", "m", "k"), g.parameterNames());
        GradientCheck check = GradientCheck.of(g)
                .atAll(RandomPoints.points(7, 5, r -> new Object[] {r.vector(3, -1, 1), r.matrix(2, 3, -1, 1),
                    r.integer(0, 3)}))
                .assertPassed(5, 0);
        assertEquals(5 * (3 + 6), check.compared(), check::summary);
    }

    @Test
    void gradientCheckPassesACorrectGradient() {
        Grad g = Grad.of(compileFake(false), "p.C", "f");
        GradientCheck check = GradientCheck.of(g)
                .atAll(RandomPoints.points(1, 8, r -> new Object[] {r.uniform(-3, 3), r.uniform(-3, 3)}))
                .assertPassed(8, 0);
        assertEquals(16, check.compared());
    }

    @Test
    void gradientCheckCatchesAWrongGradient() {
        Grad g = Grad.of(compileFake(true), "p.C", "f");
        GradientCheck check = GradientCheck.of(g).at(0.5, 2.0);
        assertEquals(1, check.failures().size(), check.failures()::toString);
        assertTrue(check.failures().get(0).contains("∂f/∂x"), check.failures()::toString);
        AssertionError e = assertThrows(AssertionError.class, check::assertPassed);
        assertTrue(e.getMessage().contains("---- generated p.CGrad"), e::getMessage);
    }

    /**
     * An iteration that amplifies every perturbation while its value stays bounded: soak seed 16,042,625, as the
     * reducer left it. Its k loop runs 216 times a map whose steps have derivatives of about ±2 (the product of
     * the steps' derivatives, multiplied out by hand, agrees with the generated gradient to 14 digits), so the
     * derivative along the path is about -3.8e41, and no difference over a representable step can see it; here
     * the two difference estimates happen to agree with each other. The check skips the component, because the
     * derivative one step away is another number (a wrong derivative that is smooth still fails:
     * {@link #gradientCheckCatchesAWrongGradient}).
     */
    @Test
    void aDerivativeThatChangesWithinTheStepIsSkippedNotFailed() {
        Compilation c = Javac.adjoint().strict().compile("""
                package p;

                import dev.adjoint.Differentiable;

                class Chaos {
                    @Differentiable
                    static double f(double a, double b, double y, double[] x) {
                        for (int i = 0; i < x.length; ++i) {
                            for (int j = 0; j < x.length; j++) {
                                for (int k = x.length - 1; k >= 0; k--) {
                                    a += StrictMath.sin(Math.cosh(Math.sin(b - 2.0)));
                                    a = (a) / Math.sqrt(1.0 + (a) * (a));
                                    a = Math.log10(Math.abs(a / Math.sqrt(1.0 + 1.5 * 1.5)) + 0.1);
                                }
                            }
                        }
                        double g4 = Math.pow(Math.sin(a) * Math.sin(a) + 1.0, 0.5);
                        for (int i = 0; i < 3; i += 2) {
                            for (var val5 : x) {
                                a = (Math.min(Math.sin(Math.sqrt(b * b + 0.25)),
                                        Math.atan2(-val5, 1.0 + Math.tanh(a) * Math.tanh(a)))) * 0.5;
                            }
                            for (double xi10 : x) {
                                g4 = Math.signum(Math.toDegrees((Math.atan(x[Math.floorMod(x.length, x.length)]
                                        / (1.5 + Math.abs(a)))) * 0.0625)) * y;
                            }
                            y = 0.5 * y + 0.5 * Math.max(-1.0, Math.min(1.0, x[i] * a));
                        }
                        return g4 + b + y;
                    }
                }
                """).assertSucceeded();
        Grad g = Grad.of(c, "p.Chaos", "f");
        double[] x = {-0.24031714213343047, 0.27033248037217805, 1.3488909445366097, 0.17048957454767733,
            -0.025783174950718468, 0.4503105631327322};
        Object[] at = {0.21668691705279075, -0.7592485291468667, -0.563397779567178, x};
        assertTrue(Math.abs(g.grad(at).scalar("a")) > 1e25, "the path derivative is huge");
        GradientCheck chaotic = GradientCheck.of(g).at(at);
        assertEquals(0, chaotic.failures().size(), chaotic.failures()::toString);
        assertTrue(chaotic.skipped().stream().anyMatch(m -> m.startsWith("a: the derivative")),
                chaotic.skipped()::toString);
    }

    @Test
    void gradientCheckCatchesAJvpThatDisagreesWithTheGradient() {
        Grad g = Grad.of(compileFake(false, true), "p.C", "f");
        GradientCheck check = GradientCheck.of(g).at(0.5, 2.0);
        assertEquals(1, check.failures().size(), check.failures()::toString);
        assertTrue(check.failures().get(0).contains("fJvp's tangent"), check.failures()::toString);
        assertEquals(1, check.jvpCompared());
    }

    @Test
    void finiteDifferencesSkipPointsNearAKink() {
        Grad g = Grad.of(compileFake(false), "p.C", "abs");
        GradientCheck near = GradientCheck.of(g).at(1e-4);   // inside Richardson's step: estimates disagree
        assertEquals(0, near.compared());
        assertEquals(1, near.skipped().size());
        assertThrows(AssertionError.class, near::assertPassed);
        GradientCheck far = GradientCheck.of(g).at(0.5).at(-0.7).assertPassed();
        assertEquals(2, far.compared());
    }

    static final String V = """
            package v;

            import dev.adjoint.Differentiable;

            public class V {
                @Differentiable
                static double[] g(double a, double[] x) {
                    return new double[] {a * x[0], x[1] + a, Math.abs(a)};
                }
            }
            """;

    /**
     * What the real processor should write for V: {@code gJacobian}, {@code gJvp}, {@code gVjp} and their reuse
     * forms; {@code J_WRONG}, {@code JVP_WRONG}, {@code VJP_WRONG}, {@code REUSE_WRONG} are replaced by 0 or 1 (an
     * error in one of them only; the wrong reuse form of gJacobian keeps the block of a from the call before; the
     * JVP's reuse form returns a new object).
     */
    static final String V_GRAD = """
            package v;

            import javax.annotation.processing.Generated;

            @Generated("hand")
            public final class VGrad {
                private VGrad() {}

                private static double[] value(double a, double[] x) {
                    return new double[] {a * x[0], x[1] + a, Math.abs(a)};
                }

                public static GJacobian gJacobian(double a, double[] x) {
                    GJacobian out = new GJacobian();
                    out.value = value(a, x);
                    out.a = new double[] {x[0] + J_WRONG, 1, Math.signum(a)};
                    out.x = new double[][] {{a, 0}, {0, 1}, {0, 0}};
                    return out;
                }

                public static GJacobian gJacobian(double a, double[] x, GJacobian out) {
                    GJacobian r = gJacobian(a, x);
                    if (out == null) {
                        return r;
                    }
                    out.value = r.value;
                    out.a = REUSE_WRONG == 1 && out.a != null ? out.a : r.a;
                    out.x = r.x;
                    return out;
                }

                public static GJvp gJvp(double a, double[] x, double aDot, double[] xDot, GJvp out) {
                    return gJvp(a, x, aDot, xDot);
                }

                public static GVjp gVjp(double a, double[] x, double[] seed, GVjp out) {
                    GVjp r = gVjp(a, x, seed);
                    if (out == null) {
                        return r;
                    }
                    out.value = r.value;
                    out.a = r.a;
                    out.x = r.x;
                    return out;
                }

                public static GJvp gJvp(double a, double[] x, double aDot, double[] xDot) {
                    GJvp out = new GJvp();
                    out.value = value(a, x);
                    out.tangent = new double[] {x[0] * aDot + a * xDot[0], xDot[1] + aDot + JVP_WRONG * 1e-3,
                        Math.signum(a) * aDot};
                    return out;
                }

                public static GVjp gVjp(double a, double[] x, double[] seed) {
                    GVjp out = new GVjp();
                    out.value = value(a, x);
                    out.a = seed[0] * x[0] + seed[1] + seed[2] * Math.signum(a);
                    out.x = new double[] {seed[0] * a, seed[1] * (1 + VJP_WRONG * 1e-3)};
                    return out;
                }

                public static final class GJacobian {
                    double[] value;
                    double[] a;
                    double[][] x;

                    public double[] value() { return value.clone(); }
                    public double[] a() { return a; }
                    public double[][] x() { return x; }
                }

                public static final class GJvp {
                    double[] value;
                    double[] tangent;

                    public double[] value() { return value.clone(); }
                    public double[] tangent() { return tangent; }
                }

                public static final class GVjp {
                    double[] value;
                    double a;
                    double[] x;

                    public double[] value() { return value.clone(); }
                    public double a() { return a; }
                    public double[] x() { return x; }
                }
            }
            """;

    static JacobianCheck jacobianCheck(int jWrong, int jvpWrong, int vjpWrong) {
        return jacobianCheck(jWrong, jvpWrong, vjpWrong, 0);
    }

    static JacobianCheck jacobianCheck(int jWrong, int jvpWrong, int vjpWrong, int reuseWrong) {
        String grad = V_GRAD.replace("VJP_WRONG", "" + vjpWrong).replace("JVP_WRONG", "" + jvpWrong)
                .replace("J_WRONG", "" + jWrong).replace("REUSE_WRONG", "" + reuseWrong);
        Compilation c = Javac.adjoint().withProcessors(() -> List.of(new FakeProcessor(Map.of("v.VGrad", grad))))
                .strict().compile(V).assertSucceeded();
        return JacobianCheck.of(c, "v.V", "g", "a", "x");
    }

    @Test
    void jacobianCheckPassesACorrectJacobianAndSkipsAKink() {
        JacobianCheck c = jacobianCheck(0, 0, 0).at(0.5, new double[] {1.5, -2}).at(-1.25, new double[] {0.5, 1});
        // the JVP's reuse form returns a new object each time
        assertEquals(List.of("gJvp(..., out) returned another object than out at [-1.25, [0.5, 1.0]]"), c.failures());
        c = jacobianCheck(0, 0, 0).at(0.5, new double[] {1.5, -2});
        c.assertPassed();
        assertEquals(3 * 3, c.compared());
        assertEquals(1, c.jvpCompared());
        JacobianCheck kink = jacobianCheck(0, 0, 0).at(1e-4, new double[] {1, 1});   // |a| inside the step
        assertEquals(1, kink.skipped(), kink.skippedEntries()::toString);
        assertTrue(kink.skippedEntries().get(0).startsWith("J[2] wrt a"), kink.skippedEntries()::toString);
        assertTrue(kink.failures().isEmpty(), kink.failures()::toString);
    }

    @Test
    void jacobianCheckCatchesAWrongEntryJvpAndVjp() {
        List<String> j = jacobianCheck(1, 0, 0).at(0.5, new double[] {1.5, -2}).failures();
        assertTrue(j.stream().anyMatch(f -> f.startsWith("J[0] wrt a =")), j::toString);
        List<String> jvp = jacobianCheck(0, 1, 0).at(0.5, new double[] {1.5, -2}).failures();
        assertTrue(jvp.stream().anyMatch(f -> f.startsWith("fJvp's tangent[1]")), jvp::toString);
        assertTrue(jvp.stream().anyMatch(f -> f.startsWith("<seed, J t>")), jvp::toString);
        assertTrue(jvp.stream().noneMatch(f -> f.startsWith("J[")), jvp::toString);
        List<String> vjp = jacobianCheck(0, 0, 1).at(0.5, new double[] {1.5, -2}).failures();
        assertTrue(vjp.stream().anyMatch(f -> f.startsWith("fVjp's x[1]")), vjp::toString);
        assertTrue(vjp.stream().noneMatch(f -> f.startsWith("J[") || f.startsWith("fJvp")), vjp::toString);
        // a floor of 1e-3 (1 + |f_i|) covers the JVP's error of 1e-3
        List<String> floored = jacobianCheck(0, 1, 0).jvpFloor(1e-3).at(0.5, new double[] {1.5, -2}).failures();
        assertTrue(floored.isEmpty(), floored::toString);
        // a reuse form that keeps a block from the call before is caught at the second point
        JacobianCheck stale = jacobianCheck(0, 0, 0, 1).at(0.5, new double[] {1.5, -2});
        assertTrue(stale.failures().isEmpty(), stale.failures()::toString);
        List<String> reused = stale.at(-1.25, new double[] {0.5, 1}).failures();
        assertTrue(reused.stream().anyMatch(f -> f.startsWith("gJacobian(..., out), reusing the previous point's "
                + "result, gives a() = [[1.5, 1.0, 1.0]] but the fresh call [[0.5, 1.0, -1.0]]")), reused::toString);
    }

    @Test
    void finiteDifferencesAreAccurate() {
        FiniteDifferences.Estimate e = FiniteDifferences.derivative(Math::exp, 3.0);
        assertTrue(FiniteDifferences.relativeError(e.value(), Math.exp(3.0)) < 1e-9, e::toString);
        assertTrue(e.reliable(1e-6));
        FiniteDifferences.Estimate big = FiniteDifferences.derivative(x -> x * x * x, 1e5);
        assertTrue(FiniteDifferences.relativeError(big.value(), 3e10) < 1e-9, big::toString);
        FiniteDifferences.Estimate step = FiniteDifferences.derivative(Math::floor, 2.0);
        assertFalse(step.reliable(1e-6), step::toString);
    }

    @Test
    void finiteDifferencesSeeAJumpAtThePointItself() {
        // smooth: g(x) lies where its neighbours put it, even where g'' is large
        FiniteDifferences.Estimate smooth = FiniteDifferences.derivative(x -> Math.exp(5 * x), 1.0);
        assertTrue(smooth.continuousAt(Math.exp(5.0)), smooth::toString);
        // a value taken only at the point (a branch decided by rounding there): both estimates agree on the
        // neighbours' slope, 2, and only the value at the point shows that they say nothing about it
        double x0 = 0.7;
        java.util.function.DoubleUnaryOperator g = x -> x == x0 ? 5.0 : 2 * x;
        FiniteDifferences.Estimate isolated = FiniteDifferences.derivative(g, x0);
        assertTrue(isolated.reliable(1e-6), isolated::toString);
        assertFalse(isolated.continuousAt(g.applyAsDouble(x0)), isolated::toString);
        assertTrue(isolated.continuousAt(2 * x0), isolated::toString);
    }

    @Test
    void reportsErrorsWithPositions() {
        Compilation c = Javac.plain().compile("""
                package q;
                class Bad {
                    double f() {
                        return undefined;
                    }
                }
                """);
        assertFalse(c.succeeded());
        assertEquals(1, c.errors().size(), c::report);
        Compilation.Diag d = c.errors().get(0);
        assertEquals(4, d.line());
        assertEquals(16, d.column());
        assertEquals("compiler.err.cant.resolve.location", d.code());
        assertTrue(d.message().contains("undefined"), d::message);
        assertEquals("/q/Bad.java", d.file());
        assertEquals(1, c.diagnosticsIn("q.Bad").size());
    }

    @Test
    void strictTurnsWarningsIntoErrors() {
        String source = """
                package q;
                class Warn {
                    double f(double x) {
                        return (double) x;
                    }
                }
                """;
        Compilation lenient = Javac.plain().compile(source);
        assertTrue(lenient.succeeded(), lenient::report);
        assertEquals(1, lenient.warnings().size(), lenient::report);
        Compilation strict = Javac.plain().strict().compile(source);
        assertFalse(strict.succeeded());
        assertThrows(AssertionError.class, lenient::assertSucceededWithoutWarnings);
    }

    @Test
    void warningsInGeneratedCodeAreAttributedToTheGeneratedFile() {
        Compilation c = fake("""
                package p;
                public final class CGrad {
                    static double g(double x) {
                        return (double) x;
                    }
                }
                """).compile(C);
        assertTrue(c.succeeded(), c::report);
        assertEquals(1, c.diagnosticsIn("p.CGrad").size(), c::report);
        assertEquals(Diagnostic.Kind.WARNING, c.diagnosticsIn("p.CGrad").get(0).kind());
        assertTrue(c.diagnosticsIn("p.C").isEmpty(), c::report);
    }

    @Test
    void derivesClassNamesFromSources() {
        assertEquals("a.b.X", SourceNames.qualifiedName("// class Y\npackage a.b; /* class Z */ class X {}"));
        assertEquals("X", SourceNames.qualifiedName("import java.util.List; final class X { class Y {} }"));
        assertEquals("a.P", SourceNames.qualifiedName("package a; class Q {} public class P {}"));
        assertEquals("a.R", SourceNames.qualifiedName("package a; @Deprecated record R(String s) { }"));
        assertEquals("a.S", SourceNames.qualifiedName("package a; class S { String t = \"class T\"; }"));
        assertThrows(IllegalArgumentException.class, () -> SourceNames.qualifiedName("package a;"));
    }

    @Test
    void compilesSeveralSourcesTogether() {
        Compilation c = Javac.plain().compile(
                "package a; public class A { public static int one() { return b.B.ONE; } }",
                "package b; public class B { public static final int ONE = 1; }");
        assertTrue(c.succeeded(), c::report);
        assertEquals(Set.of("a.A", "b.B"), c.classNames());
        assertEquals(Map.of("x.Y", "package x; class Y {}"),
                Javac.plain().compile(Map.of("x.Y", "package x; class Y {}")).assertSucceeded().sources());
    }

    @Test
    void reportsProcessorCrashes() {
        Compilation c = Javac.adjoint().withProcessors(() -> List.of(new FakeProcessor(Map.of()) {
            @Override
            public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
                throw new IllegalStateException("boom");
            }
        })).compile(C);
        assertFalse(c.succeeded());
        assertNotNull(c.crash(), c::report);
        assertTrue(c.report().contains("boom"), c::report);
    }

    @Test
    void timesOut() {
        Compilation c = Javac.adjoint().withTimeout(Duration.ofMillis(300))
                .withProcessors(() -> List.of(new FakeProcessor(Map.of()) {
                    @Override
                    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
                        try {
                            Thread.sleep(60_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return false;
                    }
                })).compile(C);
        assertTrue(c.timedOut());
        assertFalse(c.succeeded());
        assertTrue(c.elapsed().toMillis() < 5_000, c::report);
    }

    @Test
    void isThreadSafeAndFast() throws Exception {
        compileFake(false);   // warm up
        int n = 40;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            compileFake(false);
        }
        long sequential = (System.nanoTime() - start) / n / 1_000_000;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Double>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                double x = i;
                results.add(pool.submit(() -> Grad.of(compileFake(false), "p.C", "f").grad(x, 1.0).scalar("y")));
            }
            for (int i = 0; i < n; i++) {
                assertEquals(3.0 * i * i, results.get(i).get());
            }
        } finally {
            pool.shutdown();
        }
        Measurements.record("[harness] warm compile of C + CGrad: " + sequential + " ms");
        assertTrue(sequential < 2_000, "compiles are slow: " + sequential + " ms");
    }

    @Test
    void numericalStandInWritesTheContractApi() {
        Compilation c = Javac.adjoint().withProcessors(() -> List.of(new NumericalGradProcessor())).strict().compile("""
                package s;

                import dev.adjoint.Differentiable;

                class Outer {
                    static class Net {
                        @Differentiable(wrt = {"w", "value"})
                        static double loss(double[] w, double value, double[][] xs, int n) {
                            double s = value * n;
                            for (double[] x : xs) {
                                for (int j = 0; j < w.length; j++) {
                                    s += Math.sin(w[j] * x[j]);
                                }
                            }
                            return s;
                        }

                        @Differentiable
                        static double loss(double x) {
                            return x * x;
                        }
                    }
                }
                """).assertSucceededWithoutWarnings();
        Grad g = Grad.of(c, "s.Outer$Net", "loss", double[].class, double.class, double[][].class, int.class);
        assertEquals("LossDoubleArrayDoubleDoubleMatrixIntGradient", g.resultType().getSimpleName());
        assertEquals(List.of("w", "value"), g.differentiated());
        assertEquals("valueGrad", g.accessor("value").getName());
        GradientCheck.of(g).atAll(RandomPoints.points(3, 5, r -> new Object[] {r.vector(2, -1, 1), r.uniform(-1, 1),
            r.matrix(3, 2, -1, 1), r.integer(0, 3)})).assertPassed(5, 0);
        Grad h = Grad.of(c, "s.Outer$Net", "loss", double.class);
        assertEquals(6.0, h.grad(3.0).scalar("x"), 1e-9);
    }
}
