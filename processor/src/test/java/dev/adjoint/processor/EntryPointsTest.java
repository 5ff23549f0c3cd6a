package dev.adjoint.processor;

import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Javac;
import java.lang.reflect.Method;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The generated entry points other code calls: {@code fPullback(params..., double yBar)} and
 * {@code fPushforward(params..., tangents...)} of every method of the custom rules' signature, checked against
 * closed forms and central differences at seeded random points, and pullback against pushforward
 * (⟨ȳ, J·ẋ⟩ = ⟨Jᵀ·ȳ, ẋ⟩).
 */
class EntryPointsTest {
    private static final String MODEL = """
            package ep;

            import dev.adjoint.Differentiable;

            public class Model {
                /** Only x is differentiated by the user; the entry points cover y too. */
                @Differentiable(wrt = "x")
                public static double f(double x, int n, double y) {
                    double s = 0;
                    for (int i = 1; i <= n; i++) {
                        s += Math.sin(i * x) * y;
                    }
                    return s + x * x * y;
                }

                static double one(double z) {
                    return Math.exp(-z * z);
                }

                @Differentiable
                static double caller(double a) {
                    return one(a) * 2;
                }
            }
            """;

    private static final String UTIL = """
            package ep.util;

            /** No @Differentiable method: its helpers get entry points in a generated class of their own. */
            public final class Util {
                private Util() {}

                public static double softsign(double x) {
                    return x / (1 + Math.abs(x));
                }

                static double unused(double x) {
                    return x;
                }
            }
            """;

    private static final String USER = """
            package ep;

            import dev.adjoint.Differentiable;
            import ep.util.Util;

            class User {
                @Differentiable
                static double g(double x) {
                    return Util.softsign(x * 3);
                }
            }
            """;

    private static final Compilation COMPILED = Javac.adjoint().strict().compile(MODEL, UTIL, USER)
            .assertSucceeded();

    private static Method method(String name, Class<?>... types) throws ReflectiveOperationException {
        Method m = COMPILED.loadClass("ep.ModelGrad").getDeclaredMethod(name, types);
        m.setAccessible(true);
        return m;
    }

    private static double f(double x, int n, double y) {
        double s = 0;
        for (int i = 1; i <= n; i++) {
            s += Math.sin(i * x) * y;
        }
        return s + x * x * y;
    }

    @Test
    void pullbackAndPushforwardOfEveryDoubleParameter() throws ReflectiveOperationException {
        Method pullback = method("fPullback", double.class, int.class, double.class, double.class);
        Method pushforward = method("fPushforward", double.class, int.class, double.class, double.class,
                double.class);
        assertTrue(java.lang.reflect.Modifier.isPublic(pullback.getModifiers()), "public, as f is");
        SplittableRandom rnd = new SplittableRandom(41);
        for (int k = 0; k < 20; k++) {
            double x = rnd.nextDouble(-2, 2);
            double y = rnd.nextDouble(-2, 2);
            int n = rnd.nextInt(0, 5);
            double yBar = rnd.nextDouble(-3, 3);
            double[] bars = (double[]) pullback.invoke(null, x, n, y, yBar);
            // closed forms: df/dx = Σ i cos(i x) y + 2 x y, df/dy = Σ sin(i x) + x²
            double dx = 2 * x * y;
            double dy = x * x;
            for (int i = 1; i <= n; i++) {
                dx += i * Math.cos(i * x) * y;
                dy += Math.sin(i * x);
            }
            assertClose("yBar·df/dx", yBar * dx, bars[0], 1e-13);
            assertClose("yBar·df/dy", yBar * dy, bars[1], 1e-13);
            double h = 1e-6;
            assertClose("central difference in x", (f(x + h, n, y) - f(x - h, n, y)) / (2 * h) * yBar, bars[0], 1e-6);
            double xDot = rnd.nextDouble(-1, 1);
            double yDot = rnd.nextDouble(-1, 1);
            double tangent = (double) pushforward.invoke(null, x, n, y, xDot, yDot);
            assertClose("J·ẋ", dx * xDot + dy * yDot, tangent, 1e-13);
            // the two modes agree: ȳ·(J·ẋ) = (Jᵀ·ȳ)·ẋ
            assertClose("⟨ȳ, Jẋ⟩ = ⟨Jᵀȳ, ẋ⟩", yBar * tangent, bars[0] * xDot + bars[1] * yDot, 1e-12);
        }
    }

    @Test
    void reachedHelpersGetEntryPointsOfTheirAccess() throws ReflectiveOperationException {
        Method pullback = method("onePullback", double.class, double.class);
        Method pushforward = method("onePushforward", double.class, double.class);
        assertEquals(0, pullback.getModifiers() & (java.lang.reflect.Modifier.PUBLIC
                | java.lang.reflect.Modifier.PRIVATE), "package-private, as one is");
        for (double z : new double[] {-1.3, 0, 0.4, 2.2}) {
            double d = -2 * z * Math.exp(-z * z);
            assertClose("pullback", 0.5 * d, (double) pullback.invoke(null, z, 0.5), 1e-15);
            assertClose("pushforward", -3 * d, (double) pushforward.invoke(null, z, -3.0), 1e-15);
        }
    }

    @Test
    void entryPointsCarryTheirRulesAnnotations() {
        String source = COMPILED.generatedSource("ep.ModelGrad");
        assertTrue(source.contains("@Pullback(\n            of = ep.Model.class,\n            method = \"f\"\n    )")
                || source.contains("@Pullback(of = ep.Model.class, method = \"f\")"), source);
        assertTrue(source.contains("Pushforward("), source);
    }

    private static final String LIBRARY = """
            package lib;

            import dev.adjoint.Differentiable;

            /** Compiled on its own, with Adjoint: the caller below sees only its class files. */
            public final class Special {
                private Special() {}

                @Differentiable
                public static double softplus(double x) {
                    return x > 30 ? x : Math.log1p(Math.exp(x));
                }

                /** A weighted squared norm, with array parameters: its entry points take adjoint arrays. */
                @Differentiable(wrt = "v")
                public static double weighted(double[] v, double[][] w, double s) {
                    double sum = 0;
                    for (int i = 0; i < v.length; i++) {
                        for (int j = 0; j < v.length; j++) {
                            sum += v[i] * w[i][j] * v[j];
                        }
                    }
                    return s * Math.sqrt(sum);
                }

                @Differentiable(wrt = "s")
                public static double damped(double x, int n, double s) {
                    double v = 0;
                    for (int k = 0; k < n; k++) {
                        v += Math.exp(-s * k) * Math.cos(k * x);
                    }
                    return v;
                }
            }
            """;

    private static final String CALLER = """
            package app;

            import dev.adjoint.Differentiable;
            import lib.Special;

            public final class Pricing {
                private Pricing() {}

                @Differentiable
                public static double f(double a, double b) {
                    double sum = 0;
                    for (int i = 0; i < 3; i++) {
                        sum += Special.softplus(a * b - i);
                    }
                    return sum + Special.damped(a, 4, b * b);
                }

                /** The library's array method called with a local array, rows of a parameter and in a loop. */
                @Differentiable
                public static double g(double[] x, double[][] m) {
                    double[] v = new double[x.length];
                    double total = 0;
                    for (int k = 0; k < 3; k++) {
                        for (int i = 0; i < x.length; i++) {
                            v[i] = x[i] * (k + 1);
                        }
                        total += Special.weighted(v, m, 0.5 + k);
                    }
                    return total;
                }
            }
            """;

    /** Loads classes from the class files of the given compilations, first match first. */
    private static final class Classes extends ClassLoader {
        private final Compilation[] from;

        Classes(Compilation... from) {
            super(EntryPointsTest.class.getClassLoader());
            this.from = from;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            for (Compilation c : from) {
                byte[] b = c.classFile(name);
                if (b != null) {
                    return defineClass(name, b, 0, b.length);
                }
            }
            throw new ClassNotFoundException(name);
        }
    }

    private static double softplus(double x) {
        return x > 30 ? x : Math.log1p(Math.exp(x));
    }

    private static double damped(double x, int n, double s) {
        double v = 0;
        for (int k = 0; k < n; k++) {
            v += Math.exp(-s * k) * Math.cos(k * x);
        }
        return v;
    }

    private static double pricing(double a, double b) {
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            sum += softplus(a * b - i);
        }
        return sum + damped(a, 4, b * b);
    }

    @Test
    void aCalleeCompiledEarlierIsDifferentiatedThroughItsGeneratedClass() throws Exception {
        Compilation library = Javac.adjoint().strict().compile(LIBRARY).assertSucceeded();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("adjoint-lib");
        try {
            library.writeClassFiles(dir);
            Compilation caller = Javac.adjoint().strict().withClassPath(System.getProperty("java.class.path")
                    + java.io.File.pathSeparator + dir).compile(CALLER).assertSucceeded();
            assertTrue(caller.generatedSource("app.PricingGrad").contains("lib.SpecialGrad.softplusPullback("),
                    "the reverse sweep calls the library's generated pullback");
            Class<?> grad = new Classes(caller, library).loadClass("app.PricingGrad");
            Method gradient = grad.getMethod("f", double.class, double.class);
            Method jvp = grad.getMethod("fJvp", double.class, double.class, double.class, double.class);
            SplittableRandom rnd = new SplittableRandom(43);
            for (int k = 0; k < 20; k++) {
                double a = rnd.nextDouble(-2, 2);
                double b = rnd.nextDouble(-2, 2);
                Object g = gradient.invoke(null, a, b);
                double ga = (double) g.getClass().getMethod("a").invoke(g);
                double gb = (double) g.getClass().getMethod("b").invoke(g);
                assertClose("value", pricing(a, b), (double) g.getClass().getMethod("value").invoke(g), 1e-15);
                // closed form: softplus' = σ; d/dx Σ e^{-sk} cos(kx) = −Σ k e^{-sk} sin(kx), d/ds = −Σ k e^{-sk} cos(kx)
                double ea = 0;
                double eb = 0;
                for (int i = 0; i < 3; i++) {
                    double sig = 1 / (1 + Math.exp(-(a * b - i)));
                    ea += sig * b;
                    eb += sig * a;
                }
                double s = b * b;
                for (int j = 0; j < 4; j++) {
                    ea -= j * Math.exp(-s * j) * Math.sin(j * a);
                    eb -= j * Math.exp(-s * j) * Math.cos(j * a) * 2 * b;
                }
                assertClose("df/da", ea, ga, 1e-12);
                assertClose("df/db", eb, gb, 1e-12);
                double h = 1e-6;
                assertClose("central difference in a", (pricing(a + h, b) - pricing(a - h, b)) / (2 * h), ga, 1e-6);
                assertClose("central difference in b", (pricing(a, b + h) - pricing(a, b - h)) / (2 * h), gb, 1e-6);
                double aDot = rnd.nextDouble(-1, 1);
                double bDot = rnd.nextDouble(-1, 1);
                Object t = jvp.invoke(null, a, b, aDot, bDot);
                assertClose("forward = reverse", ga * aDot + gb * bDot,
                        (double) t.getClass().getMethod("tangent").invoke(t), 1e-12);
            }
            // the array method: g = Σ_k (0.5 + k)(k + 1) sqrt(xᵀ M x), ∂g/∂x = Σ_k (0.5 + k)(k + 1) (M + Mᵀ) x / (2 sqrt(xᵀ M x)),
            // ∂g/∂M[i][j] = Σ_k (0.5 + k)(k + 1) x_i x_j / (2 sqrt(xᵀ M x))
            Method arrays = grad.getMethod("g", double[].class, double[][].class);
            for (int k = 0; k < 10; k++) {
                int n = 1 + k % 4;
                double[] x = new double[n];
                double[][] m = new double[n][n];
                for (int i = 0; i < n; i++) {
                    x[i] = rnd.nextDouble(-1, 1);
                    m[i][i] = 2;
                    for (int j = 0; j < n; j++) {
                        m[i][j] += rnd.nextDouble(0, 0.3);
                    }
                }
                double q = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        q += x[i] * m[i][j] * x[j];
                    }
                }
                double scale = 0.5 * 1 + 1.5 * 2 + 2.5 * 3;
                Object r = arrays.invoke(null, x, m);
                double[] gx = (double[]) r.getClass().getMethod("x").invoke(r);
                double[][] gm = (double[][]) r.getClass().getMethod("m").invoke(r);
                assertClose("value", scale * Math.sqrt(q), (double) r.getClass().getMethod("value").invoke(r), 1e-13);
                for (int i = 0; i < n; i++) {
                    double e = 0;
                    for (int j = 0; j < n; j++) {
                        e += (m[i][j] + m[j][i]) * x[j];
                        assertClose("dg/dm", scale * x[i] * x[j] / (2 * Math.sqrt(q)), gm[i][j], 1e-13);
                    }
                    assertClose("dg/dx", scale * e / (2 * Math.sqrt(q)), gx[i], 1e-13);
                }
            }
        } finally {
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void helpersOfAClassWithoutDifferentiableMethodsGetAGeneratedClassOfEntryPoints() throws Exception {
        Class<?> util = COMPILED.loadClass("ep.util.UtilGrad");
        Method pullback = util.getMethod("softsignPullback", double.class, double.class);
        Method pushforward = util.getMethod("softsignPushforward", double.class, double.class);
        for (double x : new double[] {-2.5, -0.1, 0.3, 4}) {
            double d = 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x)));
            assertClose("pullback", 1.5 * d, (double) pullback.invoke(null, x, 1.5), 1e-15);
            assertClose("pushforward", -2 * d, (double) pushforward.invoke(null, x, -2.0), 1e-15);
        }
        assertTrue(java.util.Arrays.stream(util.getDeclaredMethods()).noneMatch(m -> m.getName().startsWith("unused")),
                "only the methods reached are differentiated");
        assertTrue(COMPILED.generatedSource("ep.util.UtilGrad").contains("Entry points (pullbacks and pushforwards)"));
    }

    @Test
    void aUserClassNamedLikeTheMarkersIsWrittenQualified() throws Exception {
        Compilation c = Javac.adjoint().strict().compile(java.util.Map.of("clash.Pullback", """
                package clash;

                public final class Pullback {
                    private Pullback() {}

                    public static double factor(int k) {
                        return String.valueOf(k).length() * 0.5 * k;
                    }
                }
                """, "clash.Model", """
                package clash;

                import dev.adjoint.Differentiable;

                public final class Model {
                    private Model() {}

                    @Differentiable
                    public static double f(double x) {
                        return x * x * Pullback.factor(3);
                    }
                }
                """)).assertSucceeded();
        assertTrue(c.generatedSource("clash.ModelGrad").contains("clash.Pullback.factor(3)"), c::report);
        Method pullback = c.loadClass("clash.ModelGrad").getMethod("fPullback", double.class, double.class);
        assertClose("3x·ȳ", 3 * 1.5 * 2, (double) pullback.invoke(null, 1.5, 2.0), 1e-15);
    }
}
