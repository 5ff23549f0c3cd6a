package dev.adjoint.hygiene;

import static dev.adjoint.hygiene.Hygiene.check;
import static dev.adjoint.hygiene.Hygiene.compile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.Javac;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * User names that collide with the names the generator introduces (adjoints, tape, out, loop counters, flags,
 * temporaries), with accessor names of the result type, with generated types, and with {@code java.lang} classes
 * the generated code refers to: all compile with {@code -Werror} and give gradients that agree with finite
 * differences.
 */
class NameCollisionTest {

    @Test
    void parametersNamedLikeAdjoints() {
        check("""
                package hyg;

                import dev.adjoint.Differentiable;

                class Adjoints {
                    @Differentiable
                    static double f(double x, double xBar, double resultBar, double xBar_) {
                        double result = x * xBar + Math.sin(resultBar) * xBar_;
                        double resultBar_ = result * x;
                        return resultBar_ + xBar * xBar;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-2, 2), r.uniform(-2, 2), r.uniform(-2, 2), r.uniform(-2, 2)});
    }

    /** Every local the generator introduces, taken by the user first, in a method that makes it introduce them. */
    @Test
    void localsNamedLikeGeneratorLocals() {
        check("""
                package hyg;

                import dev.adjoint.Differentiable;

                class Locals {
                    @Differentiable
                    static double f(double x, double y, double[] a, int n) {
                        double out = x * y;
                        double tape = y + 1;
                        double result = 0;
                        boolean returned = false;
                        boolean exited = x > 100;
                        boolean continued = false;
                        int trips1 = 0;
                        int trips2 = 1;
                        int remaining1 = n;
                        double t1 = Math.sin(x);
                        double t1Bar = Math.cos(y);
                        double t2 = 0.5;
                        double t2Bar = t1 * t1Bar;
                        for (int i = 0; i < n; i++) {
                            if (i == 2) {
                                continued = true;
                                continue;
                            }
                            double choice = i % 2 == 0 ? out : tape;
                            double tmp = choice * t1 + t1Bar * t2;
                            result += tmp * 0.1 + t2Bar;
                            boolean test = result > 5 && tmp > 0;
                            if (test) {
                                break;
                            }
                            trips1++;
                        }
                        int old = remaining1--;
                        for (double v : a) {
                            double vs = v * v;
                            int vIndex = old;
                            result += vs * x + vIndex * 0.01;
                        }
                        while (remaining1 > 0) {
                            result = result * 0.9 + y * Math.exp(-x * x);
                            remaining1--;
                            trips2++;
                            if (result > 50) {
                                returned = true;
                                return result + out;
                            }
                        }
                        if (exited || continued && returned) {
                            return tape;
                        }
                        return result * out + tape * t1 + trips1 + trips2;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-1.5, 1.5), r.uniform(-1.5, 1.5), r.vector(3, -1, 1),
                        r.integer(0, 7)});
    }

    /** The same names as parameters, several of them differentiated. */
    @Test
    void parametersNamedLikeGeneratorLocals() {
        check("""
                package hyg;

                import dev.adjoint.Differentiable;

                class Params {
                    @Differentiable
                    static double f(double out, double tape, double result, double t1, double t1Bar, double tmp,
                            double old, int trips1, int remaining1, boolean exited, boolean test) {
                        double s = 0;
                        for (int i = 0; i < trips1; i++) {
                            s += Math.sin(out * i) * tape;
                            if (exited && s > 3) {
                                break;
                            }
                        }
                        int k = remaining1;
                        while (k-- > 0) {
                            s = s * t1 + t1Bar;
                        }
                        return test ? s * result + tmp * old : s - result * tmp;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-1, 1), r.uniform(-1, 1), r.uniform(-1, 1), r.uniform(-1, 1),
                        r.uniform(-1, 1), r.uniform(-1, 1), r.uniform(-1, 1), r.integer(0, 5), r.integer(0, 4),
                        r.bool(), r.bool()});
    }

    /**
     * In a loop body, a {@code for} index and a local of the same name declared after that loop (legal Java): the
     * reverse sweep takes the local back at the top of the body's reverse, where the reversed loop declares its
     * index again; the index is renamed (found by the differential fuzzer).
     */
    @Test
    void localDeclaredAfterALoopOfTheSameIndexNameInALoopBody() {
        check("""
                package hyg;

                import dev.adjoint.Differentiable;

                class Reuse {
                    @Differentiable
                    static double f(double[] x, double a) {
                        double s = 1;
                        for (int k = 0; k < 3; k++) {
                            double[] u = new double[x.length];
                            for (int i = 0; i < u.length; i++) {
                                u[i] = Math.sin(a * x[i]);
                            }
                            int i = 0;
                            while (i < u.length) {
                                s = s * (1 + 0.25 * u[i]);
                                i++;
                            }
                            s = s * a * i;
                        }
                        return s;
                    }
                }
                """, "f", r -> new Object[] {r.vector(3, -1, 1), r.uniform(0.5, 1.5)});
    }

    /** Nested loops whose indices shadow nothing but share names across loops and with generator counters. */
    @Test
    void loopIndicesAndRedeclaredLoopVariables() {
        check("""
                package hyg;

                import dev.adjoint.Differentiable;

                class Loops {
                    @Differentiable
                    static double f(double[] w, double[][] m) {
                        double s = 0;
                        for (int i = 0; i < m.length; i++) {
                            for (int j = 0; j < w.length; j++) {
                                s += m[i][j] * w[j];
                            }
                        }
                        for (int i = 0; i < w.length; i++) {
                            for (int remaining1 = 0; remaining1 < 2; remaining1++) {
                                s += Math.tanh(w[i] * remaining1);
                            }
                        }
                        int trips1 = 0;
                        for (double[] row : m) {
                            for (double i : row) {
                                s += i * i * 0.1;
                                trips1++;
                            }
                        }
                        {
                            double t1 = s * 0.5;
                            s = t1 * t1;
                        }
                        double t1 = s + trips1;
                        return Math.sqrt(t1 * t1 + 1);
                    }
                }
                """, "f", r -> new Object[] {r.vector(3, -1, 1), r.matrix(2, 3, -1, 1)});
    }

    /**
     * Parameters named {@code value}, like methods of {@code Object}, or like the renamed accessors; and
     * {@code tape} / {@code out} (fields and parameters of the generated code). The accessor names follow
     * docs/GENERATED-API.md.
     */
    @Test
    void parametersNamedLikeAccessorsAndObjectMethods() {
        Compilation c = compile("""
                package hyg;

                import dev.adjoint.Differentiable;

                class Accessors {
                    @Differentiable
                    static double f(double value, double hashCode, double toString, double equals, double getClass,
                            double valueGrad, double tape, double out, double wait, double clone, int n) {
                        double s = 0;
                        for (int i = 0; i < n; i++) {
                            s += Math.sin(value * i) * hashCode;
                        }
                        return s + toString * equals + getClass * valueGrad + tape * out + wait * clone;
                    }
                }
                """);
        Grad g = Grad.of(c, "hyg.Accessors", "f");
        Class<?> r = g.resultType();
        for (String accessor : List.of("value", "valueGrad_", "hashCodeGrad", "toStringGrad", "equalsGrad",
                "getClassGrad", "valueGrad", "tape", "out", "waitGrad", "cloneGrad")) {
            try {
                Class<?> type = r.getMethod(accessor).getReturnType();
                assertEquals(double.class, type, accessor);
            } catch (NoSuchMethodException e) {
                throw new AssertionError("no accessor " + accessor + "() on " + r.getName() + "\n" + c.report(), e);
            }
        }
        List<Object[]> points = dev.adjoint.testing.RandomPoints.points(11, Hygiene.POINTS, p -> new Object[] {
                p.uniform(-1, 1), p.uniform(-1, 1), p.uniform(-1, 1), p.uniform(-1, 1), p.uniform(-1, 1),
                p.uniform(-1, 1), p.uniform(-1, 1), p.uniform(-1, 1), p.uniform(-1, 1), p.uniform(-1, 1),
                p.integer(0, 5)});
        GradientCheck.of(g).tolerance(Hygiene.TOLERANCE).atAll(points).assertPassed(Hygiene.POINTS, 0.2);
        // value() is the function's value, never a parameter's gradient
        Grad.Result res = g.grad(0.5, 0.0, 0.0, 0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0);
        assertEquals(0.0, res.value());
        assertEquals(0.0, res.scalar("value"));
        assertEquals(0.0, (Double) res.call("valueGrad_"));
        assertEquals(0.0, (Double) res.call("valueGrad"), "∂f/∂valueGrad = getClass = 0");
        assertEquals(3.0, (Double) res.call("getClassGrad"), "∂f/∂getClass = valueGrad = 3");
    }

    /** Locals named like the generated class, result types and runtime types, and like the user's own class. */
    @Test
    void localsNamedLikeGeneratedTypes() {
        check("""
                package hyg;

                import dev.adjoint.Differentiable;

                class Types {
                    static final double K = 0.5;

                    @Differentiable
                    static double g(double x) {
                        return x * x;
                    }

                    @Differentiable
                    static double f(double x, int n) {
                        double TypesGrad = x;
                        double FGradient = 2;
                        double GGradient = 3;
                        double Tape = 1;
                        double Buffers = 0.25;
                        double Generated = -1;
                        for (int i = 0; i < n; i++) {
                            TypesGrad = TypesGrad * K + Math.sin(TypesGrad) * Buffers;
                        }
                        return TypesGrad * FGradient + GGradient * Tape * x + Generated * K * x * x;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-2, 2), r.integer(0, 5)});
    }

    /**
     * A local named like the user's own class, next to an unqualified constant of that class: the generated code
     * qualifies the constant ({@code Types.K}), which then means the local.
     */
    @Test
    void localNamedLikeTheOwnClass() {
        check("""
                package hyg;

                import dev.adjoint.Differentiable;

                class Own {
                    static final double K = 0.5;

                    @Differentiable
                    static double f(double x) {
                        double Own = K;
                        return Own * x * x;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-2, 2)});
    }

    /** {@code value} and {@code hashCode} as locals, next to a parameter named {@code value}. */
    @Test
    void localsNamedValueAndHashCode() {
        check("""
                package hyg;

                import dev.adjoint.Differentiable;

                class Value {
                    @Differentiable
                    static double f(double x, double value) {
                        double hashCode = x * value;
                        double toString = Math.exp(-hashCode * hashCode);
                        double valueGrad = toString + value;
                        return valueGrad * hashCode;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-2, 2), r.uniform(-2, 2)});
    }

    /**
     * A class of the user's package named like a runtime type the generated code imports ({@code Tape}), whose
     * constants and helpers the method uses: the generated code must still reach the user's class.
     */
    @Test
    void userClassNamedLikeARuntimeType() {
        Compilation c = compile("""
                package hyg;

                import dev.adjoint.Differentiable;

                class Tape {
                    static final double K = 2;

                    static double k() {
                        return 3;
                    }

                    @Differentiable
                    static double f(double x, int n) {
                        double s = 1;
                        for (int i = 0; i < n; i++) {
                            s = s * x + K * k() * Math.cos(s);
                        }
                        return s;
                    }
                }
                """, """
                package hyg;

                import dev.adjoint.Differentiable;

                class Buffers {
                    static final double K = 2;

                    @Differentiable
                    static double f(double[][] a) {
                        double[][] m = new double[2][2];
                        m[0][0] = a[0][0] * a[0][1] * K;
                        m[1][1] = m[0][0] * a[1][0];
                        return m[0][0] * m[1][1];
                    }
                }
                """, """
                package hyg;

                import dev.adjoint.Differentiable;

                class Generated {
                    static final double K = 2;

                    @Differentiable
                    static double f(double x) {
                        return K * x * x;
                    }
                }
                """);
        check(c, "hyg.Tape", "f", r -> new Object[] {r.uniform(-1, 1), r.integer(0, 5)});
        check(c, "hyg.Buffers", "f", r -> new Object[] {r.matrix(2, 2, -2, 2)});
        check(c, "hyg.Generated", "f", r -> new Object[] {r.uniform(-2, 2)});
    }

    /**
     * A local named {@code Math}: legal when the user's code says {@code java.lang.Math} or {@code StrictMath}, but
     * the generated code prints {@code Math.sin}/{@code Math.cos} (ExprPrinter, Rules), which then means the local.
     */
    @Test
    void localNamedMath() {
        check("""
                package hyg;

                import dev.adjoint.Differentiable;

                class MathLocal {
                    @Differentiable
                    static double f(double x) {
                        double Math = x * x;
                        return java.lang.Math.sin(Math) + StrictMath.cos(x) * Math;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-2, 2)});
    }

    /** A class named {@code Math} in the user's package hides {@code java.lang.Math} from the generated class. */
    @Test
    void userClassNamedMath() {
        check("""
                package hyg;

                import dev.adjoint.Differentiable;

                class Math {
                    @Differentiable
                    static double f(double x) {
                        return java.lang.Math.sin(x) * x;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-2, 2)});
    }

    /** A local named {@code Double} next to {@code java.lang.Double} constants. */
    @Test
    void localNamedDouble() {
        check("""
                package hyg;

                import dev.adjoint.Differentiable;

                class DoubleLocal {
                    @Differentiable
                    static double f(double x) {
                        double Double = x * 3;
                        return Double * x + java.lang.Double.MIN_NORMAL * x;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-2, 2)});
    }

    /** A local named {@code dev}: the generated code must not spell {@code dev.adjoint.runtime.Buffers} in full. */
    @Test
    void localNamedDev() {
        check("""
                package hyg;

                import dev.adjoint.Differentiable;

                class DevLocal {
                    @Differentiable
                    static double f(double x) {
                        double dev = 2;
                        double[][] m = new double[2][2];
                        m[0][0] = x * dev;
                        return m[0][0] * m[0][0];
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-2, 2)});
    }

    @Test
    void overloadsOfOneName() {
        Compilation c = compile("""
                package hyg;

                import dev.adjoint.Differentiable;

                class Over {
                    @Differentiable
                    static double f(double x) {
                        return Math.sin(x) * x;
                    }

                    @Differentiable
                    static double f(double x, double y) {
                        return x * y + Math.exp(y);
                    }

                    @Differentiable
                    static double f(double[] x) {
                        double s = 0;
                        for (double v : x) {
                            s += v * v;
                        }
                        return s;
                    }

                    @Differentiable
                    static double f(double[] x, int n) {
                        return x[n % x.length] * 3;
                    }

                    static double f(int n) {
                        return n;
                    }
                }
                """);
        check(c, "hyg.Over", "f", r -> new Object[] {r.uniform(-2, 2)}, double.class);
        check(c, "hyg.Over", "f", r -> new Object[] {r.uniform(-2, 2), r.uniform(-2, 2)}, double.class, double.class);
        check(c, "hyg.Over", "f", r -> new Object[] {r.vector(3, -2, 2)}, double[].class);
        check(c, "hyg.Over", "f", r -> new Object[] {r.vector(3, -2, 2), r.integer(0, 5)}, double[].class, int.class);
        assertEquals("FDoubleGradient", Grad.of(c, "hyg.Over", "f", double.class).resultType().getSimpleName());
    }

    @Test
    void nestedAndNestedInNestedClasses() {
        Compilation c = compile("""
                package hyg;

                import dev.adjoint.Differentiable;

                class Outer {
                    @Differentiable
                    static double f(double x) {
                        return x * x * x;
                    }

                    static class Inner {
                        @Differentiable
                        static double f(double x) {
                            return Math.sin(x) * Deep.K;
                        }

                        static final class Deep {
                            static final double K = 3;

                            @Differentiable
                            static double f(double x, double y) {
                                return Math.atan2(y, x) * K;
                            }
                        }
                    }

                    interface Api {
                        @Differentiable
                        static double f(double x) {
                            return Math.exp(x) / 2;
                        }
                    }
                }
                """);
        assertTrue(c.hasGeneratedSource("hyg.OuterGrad"), c::report);
        assertTrue(c.hasGeneratedSource("hyg.Outer_InnerGrad"), c::report);
        assertTrue(c.hasGeneratedSource("hyg.Outer_Inner_DeepGrad"), c::report);
        check(c, "hyg.Outer", "f", r -> new Object[] {r.uniform(-2, 2)});
        check(c, "hyg.Outer$Inner", "f", r -> new Object[] {r.uniform(-2, 2)});
        check(c, "hyg.Outer$Inner$Deep", "f", r -> new Object[] {r.uniform(0.5, 2), r.uniform(-2, 2)});
        check(c, "hyg.Outer$Api", "f", r -> new Object[] {r.uniform(-2, 2)});
    }

    @Test
    void defaultPackage() {
        Compilation c = compile("""
                import dev.adjoint.Differentiable;

                class NoPackage {
                    @Differentiable
                    static double f(double x, double[] w) {
                        double s = x;
                        for (int i = 0; i < w.length; i++) {
                            s = s * w[i] + Math.sin(x);
                        }
                        return s;
                    }

                    static class Nested {
                        @Differentiable
                        static double g(double x) {
                            return Math.log(x) * x;
                        }
                    }
                }
                """);
        assertTrue(c.hasGeneratedSource("NoPackageGrad"), c::report);
        check(c, "NoPackage", "f", r -> new Object[] {r.uniform(-2, 2), r.vector(3, -1, 1)});
        check(c, "NoPackage$Nested", "g", r -> new Object[] {r.uniform(0.5, 3)});
    }

    @Test
    void sameSimpleNameInTwoPackages() {
        Compilation c = compile("""
                package one;

                import dev.adjoint.Differentiable;

                public class Model {
                    @Differentiable
                    public static double f(double x) {
                        return x * x;
                    }
                }
                """, """
                package two;

                import dev.adjoint.Differentiable;

                public class Model {
                    public static final double K = 3;

                    @Differentiable
                    public static double f(double x) {
                        return one.Model.f(2.0) * Math.sin(x) * K;
                    }
                }
                """);
        check(c, "one.Model", "f", r -> new Object[] {r.uniform(-2, 2)});
        check(c, "two.Model", "f", r -> new Object[] {r.uniform(-2, 2)});
        assertEquals(6.0, Grad.of(c, "one.Model", "f").grad(3.0).scalar("x"));
        assertEquals(12.0, Grad.of(c, "two.Model", "f").grad(0.0).scalar("x"), 1e-12);
    }

    /**
     * {@code Outer.Inner} and a top-level {@code Outer_Inner} both map to {@code Outer_InnerGrad}: one of them
     * would silently get no gradient. The processor must say so, at the second class.
     */
    @Test
    void twoClassesWhoseGeneratedNamesCollide() {
        Compilation c = Javac.adjoint().compile("""
                package hyg;

                import dev.adjoint.Differentiable;

                class Outer {
                    static class Inner {
                        @Differentiable
                        static double f(double x) {
                            return x * x;
                        }
                    }
                }
                """, """
                package hyg;

                import dev.adjoint.Differentiable;

                class Outer_Inner {
                    @Differentiable
                    static double g(double x) {
                        return x * x * x;
                    }
                }
                """);
        assertFalse(c.succeeded(), c::report);
        assertEquals(1, c.errors().size(), c::report);
        assertTrue(c.errors().get(0).message().contains("Outer_InnerGrad"), c::report);
        assertTrue(c.crash() == null, c::report);
    }
}
