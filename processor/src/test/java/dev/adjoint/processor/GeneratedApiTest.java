package dev.adjoint.processor;

import static dev.adjoint.processor.GradientTesting.checkFd;
import static dev.adjoint.processor.GradientTesting.compile;
import static dev.adjoint.processor.GradientTesting.grad;
import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The generated API of docs/GENERATED-API.md as the construct tests rely on it: overloads, out reuse, wrt. */
class GeneratedApiTest {

    static final String LAYER = """
            package api;

            import dev.adjoint.Differentiable;

            class Layer {
                @Differentiable
                static double loss(double[] w, double[][] m, double b) {
                    double s = 0;
                    for (int i = 0; i < m.length; i++) {
                        double z = b;
                        for (int j = 0; j < w.length; j++) {
                            z += m[i][j] * w[j];
                        }
                        s += Math.tanh(z) * Math.tanh(z);
                    }
                    return s;
                }
            }
            """;

    @Test
    void bothOverloadsExistAndArePublicStatic() {
        Grad g = grad(LAYER, "loss");
        Class<?> cGrad = g.gradMethod().getDeclaringClass();
        assertEquals("api.LayerGrad", cGrad.getName());
        assertTrue(Modifier.isPublic(cGrad.getModifiers()) && Modifier.isFinal(cGrad.getModifiers()));
        assertEquals("LossGradient", g.resultType().getSimpleName());
        assertSame(cGrad, g.resultType().getDeclaringClass());
        int mods = g.resultType().getModifiers();
        assertTrue(Modifier.isPublic(mods) && Modifier.isStatic(mods) && Modifier.isFinal(mods));
        assertNotNull(g.gradOutMethod(), "missing loss(..., LossGradient out)");
        for (Method m : new Method[] {g.gradMethod(), g.gradOutMethod()}) {
            assertTrue(Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()), m::toString);
            assertSame(g.resultType(), m.getReturnType());
        }
        assertEquals(List.of("w", "m", "b"), g.differentiated());
        String source = g.compilation().generatedSource("api.LayerGrad");
        assertTrue(Pattern.compile("@(javax\\.annotation\\.processing\\.)?Generated\\b").matcher(source).find(),
                source);
    }

    @Test
    void outOverloadReusesTheResultAndItsArrays() {
        Grad g = grad(LAYER, "loss");
        double[] w1 = {0.1, -0.2, 0.3};
        double[][] m1 = {{1, 2, 3}, {-1, 0.5, 0.25}};
        double[] w2 = {-0.4, 0.2, 0.7};
        double[][] m2 = {{0.3, -2, 1}, {1, 1, -0.5}};

        Grad.Result out = g.newResult();
        Grad.Result first = g.gradInto(out, w1, m1, 0.1);
        assertSame(out.raw(), first.raw());
        double[] dw = first.vector("w");
        double[][] dm = first.matrix("m");
        double[] dm0 = dm[0];
        double[] dm1 = dm[1];

        Grad.Result second = g.gradInto(out, w2, m2, -0.3);
        assertSame(out.raw(), second.raw());
        assertSame(dw, second.vector("w"), "w's gradient array is reused");
        assertSame(dm, second.matrix("m"), "m's gradient array is reused");
        assertSame(dm0, second.matrix("m")[0]);
        assertSame(dm1, second.matrix("m")[1]);

        Grad.Result fresh = g.grad(w2, m2, -0.3);
        assertNotSame(out.raw(), fresh.raw());
        assertEquals(fresh.value(), second.value());
        assertClose("w", fresh.vector("w"), second.vector("w"), 0);
        assertClose("m", fresh.matrix("m"), second.matrix("m"), 0);
        assertClose("b", fresh.scalar("b"), second.scalar("b"), 0);
        assertClose("value", g.f(w2, m2, -0.3), second.value(), 1e-14);

        // Reusing the result across a change of shape still gives the right answer.
        double[] w3 = {0.5, 0.5};
        double[][] m3 = {{1, 2}, {3, 4}, {5, 6}};
        Grad.Result third = g.gradInto(out, w3, m3, 0.0);
        Grad.Result fresh3 = g.grad(w3, m3, 0.0);
        assertClose("w", fresh3.vector("w"), third.vector("w"), 0);
        assertClose("m", fresh3.matrix("m"), third.matrix("m"), 0);

        // A null out allocates a new result.
        Grad.Result fromNull = g.gradInto(null, w1, m1, 0.1);
        assertNotSame(out.raw(), fromNull.raw());
        assertClose("value", g.f(w1, m1, 0.1), fromNull.value(), 1e-14);
    }

    @Test
    void gradientsAreNotAccumulatedAcrossReusedCalls() {
        Grad g = grad("""
                package api;

                import dev.adjoint.Differentiable;

                class Accumulate {
                    @Differentiable
                    static double f(double[] v, double x) {
                        double s = 0;
                        for (double e : v) {
                            s += e * x;
                        }
                        return s;
                    }
                }
                """, "f");
        Grad.Result out = g.newResult();
        double[] v = {1, 2, 3};
        for (int call = 0; call < 3; call++) {
            Grad.Result r = g.gradInto(out, v, 2.0);
            assertClose("∂f/∂v", new double[] {2, 2, 2}, r.vector("v"), 0);
            assertClose("∂f/∂x", 6, r.scalar("x"), 0);
        }
    }

    @Test
    void wrtSubsetGivesOnlyThoseAccessors() {
        Grad g = grad("""
                package api;

                import dev.adjoint.Differentiable;

                class Subset {
                    @Differentiable(wrt = {"b"})
                    static double f(double[] w, double b, double x) {
                        double s = b * x;
                        for (double e : w) {
                            s += e * b * b;
                        }
                        return s;
                    }
                }
                """, "f");
        assertEquals(List.of("b"), g.differentiated());
        List<String> methods = Arrays.stream(g.resultType().getDeclaredMethods()).map(Method::getName).toList();
        assertFalse(methods.contains("w"), methods::toString);
        assertFalse(methods.contains("x"), methods::toString);
        double[] w = {1, 2};
        assertClose("∂f/∂b", 3 + 2 * 3 * 0.5, g.grad(w, 0.5, 3.0).scalar("b"), 1e-15);
        checkFd(g, r -> new Object[] {r.vector(3, -1, 1), r.uniform(-2, 2), r.uniform(-2, 2)});
    }

    @Test
    void wrtOrderDoesNotMatterAccessorsFollowParameterOrder() {
        Grad g = grad("""
                package api;

                import dev.adjoint.Differentiable;

                class Order {
                    @Differentiable(wrt = {"z", "x"})
                    static double f(double x, double y, double z) {
                        return x * y * z;
                    }
                }
                """, "f");
        assertEquals(List.of("x", "z"), g.differentiated());
        Grad.Result r = g.grad(2.0, 3.0, 5.0);
        assertClose("∂/∂x", 15, r.scalar("x"), 0);
        assertClose("∂/∂z", 6, r.scalar("z"), 0);
    }

    @Test
    void intParametersAlongside() {
        Grad g = grad("""
                package api;

                import dev.adjoint.Differentiable;

                class WithInts {
                    @Differentiable
                    static double f(int n, double[] x, int stride, double scale, int[] offsets) {
                        double s = 0;
                        for (int i = 0; i < n; i += stride) {
                            s += scale * x[i % x.length] * x[(i + offsets[i % offsets.length]) % x.length];
                        }
                        return s;
                    }
                }
                """, "f");
        assertEquals(List.of("x", "scale"), g.differentiated());
        checkFd(g, r -> new Object[] {r.integer(0, 9), r.vector(4, -1, 1), r.integer(1, 3), r.uniform(-2, 2),
            r.integers(3, 0, 5)});
    }

    @Test
    void callsToOtherStaticMethodsWithInactiveArguments() {
        checkFd("""
                package api;

                import dev.adjoint.Differentiable;

                class Calls {
                    static double weight(int i) {
                        return 1.0 / (i + 1);
                    }

                    static int clamp(int i, int lo, int hi) {
                        return Math.max(lo, Math.min(hi, i));
                    }

                    static double[] coefficients(int n) {
                        double[] c = new double[n];
                        for (int i = 0; i < n; i++) {
                            c[i] = weight(i) * weight(i);
                        }
                        return c;
                    }

                    @Differentiable(wrt = "x")
                    static double f(double[] x, int n, double[] data) {
                        double s = 0;
                        double[] c = coefficients(x.length);
                        for (int i = 0; i < x.length; i++) {
                            s += weight(i) * x[i] * x[clamp(i + n, 0, x.length - 1)] + c[i] * x[i];
                        }
                        double k = weight(n) + Calls.weight(2) + sum(data);
                        return s * k;
                    }

                    static double sum(double[] d) {
                        double s = 0;
                        for (double e : d) {
                            s += e;
                        }
                        return s;
                    }
                }
                """, "f", r -> new Object[] {r.vector(4, -1, 1), r.integer(0, 3), r.vector(3, 0, 1)});
    }

    @Test
    void parameterNamedValueGetsValueGrad() {
        Compilation c = compile("""
                package api;

                import dev.adjoint.Differentiable;

                class Naming {
                    @Differentiable
                    static double f(double value, double hashCode) {
                        return value * value * hashCode;
                    }
                }
                """);
        Grad g = Grad.of(c, "api.Naming", "f");
        assertEquals(List.of("value", "hashCode"), g.differentiated());
        assertEquals("valueGrad", g.accessor("value").getName());
        assertEquals("hashCodeGrad", g.accessor("hashCode").getName());
        Grad.Result r = g.grad(3.0, 2.0);
        assertEquals(18.0, r.value());
        assertClose("valueGrad", 12, r.scalar("value"), 0);
        assertClose("hashCodeGrad", 9, r.scalar("hashCode"), 0);
    }

    /** toString labels each gradient with its accessor: a parameter named value is not printed as a second value. */
    @Test
    void toStringLabelsEachGradientByItsAccessor() {
        Compilation c = compile("""
                package api;

                import dev.adjoint.Differentiable;

                class Labels {
                    @Differentiable
                    static double f(double value, double[] w) {
                        return value * w[0];
                    }
                }
                """);
        Grad g = Grad.of(c, "api.Labels", "f");
        String text = g.grad(3.0, new double[] {2.0}).raw().toString();
        assertEquals("FGradient{value=6.0, valueGrad=2.0, w=[3.0]}", text);
    }

    /**
     * Every public type, constructor and method of a generated class has Javadoc with a first sentence (the summary
     * that Javadoc's tables show), read from the generated source by javac's DocTrees.
     */
    @Test
    void everyGeneratedMemberHasAJavadocSummary() throws Exception {
        Compilation c = compile(LAYER);
        String generated = c.generatedSource("api.LayerGrad");
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        List<javax.tools.JavaFileObject> units = List.of(inMemory("api/Layer.java", LAYER),
                inMemory("api/LayerGrad.java", generated));
        com.sun.source.util.JavacTask task = (com.sun.source.util.JavacTask) javac.getTask(null, null, null,
                List.of("-proc:none", "-classpath", System.getProperty("java.class.path")), null, units);
        List<javax.lang.model.element.Element> checked = new java.util.ArrayList<>();
        com.sun.source.util.DocTrees docs = com.sun.source.util.DocTrees.instance(task);
        for (javax.lang.model.element.Element e : task.analyze()) {
            if (e.getSimpleName().contentEquals("LayerGrad")) {
                collectDocumented(e, checked);
            }
        }
        assertTrue(checked.size() >= 8, checked::toString);   // the class, the result type and their members
        for (javax.lang.model.element.Element e : checked) {
            com.sun.source.doctree.DocCommentTree doc = docs.getDocCommentTree(e);
            assertNotNull(doc, () -> "no Javadoc on " + e + "\n" + generated);
            assertFalse(doc.getFirstSentence().isEmpty(), () -> "no first sentence in the Javadoc of "
                    + e.getEnclosingElement() + "." + e + ": " + doc + "\n" + generated);
        }
    }

    /** The public and private types, constructors and methods of a generated class (not fields: they are private). */
    private static void collectDocumented(javax.lang.model.element.Element e,
            List<javax.lang.model.element.Element> into) {
        into.add(e);
        for (javax.lang.model.element.Element member : e.getEnclosedElements()) {
            switch (member.getKind()) {
                case CLASS:
                    collectDocumented(member, into);
                    break;
                case CONSTRUCTOR: case METHOD:
                    into.add(member);
                    break;
                default:
                    break;
            }
        }
    }

    private static javax.tools.JavaFileObject inMemory(String path, String text) {
        return new javax.tools.SimpleJavaFileObject(java.net.URI.create("string:///" + path),
                javax.tools.JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
    }

    @Test
    void overloadsGetTypedResultNames() {
        Compilation c = compile("""
                package api;

                import dev.adjoint.Differentiable;

                class Overloads {
                    @Differentiable
                    static double loss(double[] w, double b) {
                        return w[0] * b;
                    }

                    @Differentiable
                    static double loss(double x) {
                        return x * x;
                    }
                }
                """);
        Grad a = Grad.of(c, "api.Overloads", "loss", double[].class, double.class);
        Grad b = Grad.of(c, "api.Overloads", "loss", double.class);
        assertEquals("LossDoubleArrayDoubleGradient", a.resultType().getSimpleName());
        assertEquals("LossDoubleGradient", b.resultType().getSimpleName());
        assertClose("∂/∂x", 6, b.grad(3.0).scalar("x"), 0);
        assertClose("∂/∂b", 2, a.grad(new double[] {2}, 5.0).scalar("b"), 0);
    }

    @Test
    void nestedClassGetsJoinedName() {
        Compilation c = compile("""
                package api;

                import dev.adjoint.Differentiable;

                class Outer {
                    static class Inner {
                        @Differentiable
                        static double f(double x) {
                            return Math.exp(x);
                        }
                    }
                }
                """);
        assertTrue(c.hasGeneratedSource("api.Outer_InnerGrad"), c::report);
        Grad g = Grad.of(c, "api.Outer$Inner", "f");
        assertClose("exp'", Math.exp(0.5), g.grad(0.5).scalar("x"), 1e-15);
    }

    @Test
    void compileErrorsInUserCodeAreReported() {
        // Not a gradient: a sanity check that compile errors in user code are reported, not hidden.
        Compilation c = dev.adjoint.testing.Javac.adjoint().compile("""
                package api;

                import dev.adjoint.Differentiable;

                class Broken {
                    @Differentiable
                    static double f(double x) {
                        return y;
                    }
                }
                """);
        assertFalse(c.succeeded());
        assertNotNull(c.errors().stream().filter(d -> d.message().contains("y")).findFirst().orElse(null),
                c::report);
        assertThrows(AssertionError.class, () -> c.loadClass("api.BrokenGrad"));
    }
}
