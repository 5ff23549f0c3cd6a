package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Javac;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Models as objects: instance methods whose receiver's fields are constants or, named in wrt as {@code this.w},
 * differentiated. A class and a record as receivers, each checked against central finite differences at seeded
 * random points (perturbing the object's own arrays), against closed forms, and forward mode against reverse mode
 * (JVP against the gradient, the Jacobian against finite differences, VJP against the Jacobian's transpose).
 */
class ModelsTest {
    static final String MLP = """
            package models;

            import dev.adjoint.Differentiable;

            class Mlp {
                double[][] w1;
                double[] b1;
                double[] w2;
                double b2;
                int hidden;

                Mlp(double[][] w1, double[] b1, double[] w2, double b2) {
                    this.w1 = w1;
                    this.b1 = b1;
                    this.w2 = w2;
                    this.b2 = b2;
                    this.hidden = b1.length;
                }

                /** A tanh hidden layer and a linear output, squared error: the fields in wrt, and x. */
                @Differentiable(wrt = {"this.w1", "this.b1", "this.w2", "this.b2", "x"})
                double loss(double[] x, double y) {
                    double out = b2;
                    for (int j = 0; j < hidden; j++) {
                        double z = this.b1[j];
                        for (int i = 0; i < x.length; i++) {
                            z += w1[j][i] * x[i];
                        }
                        out += this.w2[j] * Math.tanh(z);
                    }
                    double e = out - y;
                    return 0.5 * e * e;
                }

                /** Linear in the fields: d/dw2 = h, d/db2 = 1. */
                @Differentiable(wrt = {"this.w2", "this.b2"})
                double linear(double[] h) {
                    double s = b2;
                    for (int i = 0; i < h.length; i++) {
                        s += w2[i] * h[i];
                    }
                    return s;
                }

                /** No field in wrt: the fields are constants, only h is differentiated (d/dh = w2 * 2 h). */
                @Differentiable
                double quadratic(double[] h) {
                    double s = b2;
                    for (int i = 0; i < h.length; i++) {
                        s += w2[i] * h[i] * h[i];
                    }
                    return s;
                }

                /** The hidden layer: a double[] result, its Jacobian with respect to a field and a parameter. */
                @Differentiable(wrt = {"this.w1", "x"})
                double[] hiddenLayer(double[] x) {
                    double[] h = new double[hidden];
                    for (int j = 0; j < hidden; j++) {
                        double z = b1[j];
                        for (int i = 0; i < x.length; i++) {
                            z += w1[j][i] * x[i];
                        }
                        h[j] = Math.tanh(z);
                    }
                    return h;
                }
            }
            """;

    static final String SCALED = """
            package models;

            import dev.adjoint.Differentiable;

            class Scaled {
                double w;

                Scaled(double w) {
                    this.w = w;
                }

                /** A field and a parameter of one name: w is the parameter, this.w the field. */
                @Differentiable(wrt = {"w", "this.w"})
                double f(double w) {
                    return this.w * w * w;
                }
            }
            """;

    static final String LAYER = """
            package models;

            import dev.adjoint.Differentiable;

            record Layer(double[][] W, double[] b) {
                /** The sum of softplus(W x + b): d/dW[j][i] = sigmoid(z_j) x_i, d/db_j = sigmoid(z_j). */
                @Differentiable(wrt = {"this.W", "this.b", "x"})
                double loss(double[] x) {
                    double s = 0;
                    for (int j = 0; j < b().length; j++) {
                        double z = b()[j];
                        for (int i = 0; i < x.length; i++) {
                            z += W()[j][i] * x[i];
                        }
                        s += Math.log(1 + Math.exp(z));
                    }
                    return s;
                }

                /** Affine: the Jacobian block for b is the identity, for W row j holds x in row j. */
                @Differentiable(wrt = {"this.W", "this.b"})
                double[] apply(double[] x) {
                    double[] y = new double[this.b.length];
                    for (int j = 0; j < y.length; j++) {
                        y[j] = this.b()[j];
                        for (int i = 0; i < x.length; i++) {
                            y[j] += this.W[j][i] * x[i];
                        }
                    }
                    return y;
                }
            }
            """;

    private static Compilation compilation;

    @BeforeAll
    static void compileAll() {
        compilation = Javac.adjoint().strict().compile(Map.of("models.Mlp", MLP, "models.Scaled", SCALED,
                "models.Layer", LAYER)).assertSucceeded();
    }

    // ------------------------------------------------------------------ the class Mlp

    @Test
    void mlpLossMatchesFiniteDifferencesInBothModes() throws Exception {
        Random random = new Random(9001);
        for (int point = 0; point < 5; point++) {
            int in = 3;
            int hidden = 4;
            double[][] w1 = matrix(random, hidden, in);
            double[] b1 = vector(random, hidden);
            double[] w2 = vector(random, hidden);
            double b2 = random.nextGaussian();
            double[] x = vector(random, in);
            double y = random.nextGaussian();
            Object model = newObject("models.Mlp", w1, b1, w2, b2);
            Object g = call("models.MlpGrad", "loss", model, x, y);
            ToDoubleFunction<Object> f = m -> invoke(m, "loss", x, y);
            assertEquals(f.applyAsDouble(model), (double) get(g, "value"), 0.0, "the value, bit for bit");
            assertClose(fd(model, w1, f), (double[][]) get(g, "w1"));
            assertClose(fd(model, b1, f), (double[]) get(g, "b1"));
            assertClose(fd(model, w2, f), (double[]) get(g, "w2"));
            assertClose(fd(model, x, f), (double[]) get(g, "x"));
            double db2 = (invokeWith(newObject("models.Mlp", w1, b1, w2, b2 + 1e-6), "loss", x, y)
                    - invokeWith(newObject("models.Mlp", w1, b1, w2, b2 - 1e-6), "loss", x, y)) / 2e-6;
            assertEquals(db2, (double) get(g, "b2"), 1e-6 * Math.max(1, Math.abs(db2)));

            // forward mode along a random direction of every differentiated field and parameter
            double[][] w1Dot = matrix(random, hidden, in);
            double[] b1Dot = vector(random, hidden);
            double[] w2Dot = vector(random, hidden);
            double b2Dot = random.nextGaussian();
            double[] xDot = vector(random, in);
            Object j = call("models.MlpGrad", "lossJvp", model, x, y, w1Dot, b1Dot, w2Dot, b2Dot, xDot);
            double expected = dot((double[][]) get(g, "w1"), w1Dot) + dot((double[]) get(g, "b1"), b1Dot)
                    + dot((double[]) get(g, "w2"), w2Dot) + (double) get(g, "b2") * b2Dot
                    + dot((double[]) get(g, "x"), xDot);
            assertEquals(expected, (double) get(j, "tangent"), 1e-10 * Math.max(1, Math.abs(expected)));
            assertEquals((double) get(g, "value"), (double) get(j, "value"), 0.0);
        }
    }

    @Test
    void linearInTheFieldsHasTheClosedForm() throws Exception {
        Random random = new Random(17);
        double[] w2 = vector(random, 5);
        double[] h = vector(random, 5);
        Object model = newObject("models.Mlp", matrix(random, 5, 2), vector(random, 5), w2, 0.25);
        Object g = call("models.MlpGrad", "linear", model, h);
        assertTrue(Arrays.equals(h, (double[]) get(g, "w2")), () -> Arrays.toString((double[]) get(g, "w2")));
        assertEquals(1.0, (double) get(g, "b2"), 0.0);
        assertEquals(invoke(model, "linear", h), (double) get(g, "value"), 0.0);
        // only the fields named in wrt have accessors, and the method's own h is not differentiated
        assertFalse(hasMethod(g, "h"));
        assertFalse(hasMethod(g, "w1"));
    }

    @Test
    void fieldsNotInWrtAreConstants() throws Exception {
        Random random = new Random(23);
        double[] w2 = vector(random, 4);
        double[] h = vector(random, 4);
        Object model = newObject("models.Mlp", matrix(random, 4, 2), vector(random, 4), w2, -1.5);
        Object g = call("models.MlpGrad", "quadratic", model, h);
        double[] dh = (double[]) get(g, "h");
        for (int i = 0; i < h.length; i++) {
            assertEquals(2 * w2[i] * h[i], dh[i], 1e-15);
        }
        assertFalse(hasMethod(g, "w2"));
        assertFalse(hasMethod(g, "b2"));
        Object j = call("models.MlpGrad", "quadraticJvp", model, h, w2);
        assertEquals(dot(dh, w2), (double) get(j, "tangent"), 1e-12);
    }

    @Test
    void jacobianOfAFieldAndAParameter() throws Exception {
        Random random = new Random(31);
        for (int point = 0; point < 4; point++) {
            int in = 3;
            int hidden = point % 2 == 0 ? 2 : 5; // m below and above n's share: both vector sweeps
            double[][] w1 = matrix(random, hidden, in);
            double[] b1 = vector(random, hidden);
            double[] x = vector(random, in);
            Object model = newObject("models.Mlp", w1, b1, vector(random, hidden), 0.0);
            Object jac = call("models.MlpGrad", "hiddenLayerJacobian", model, x);
            double[][][] dW = (double[][][]) get(jac, "w1");
            double[][] dx = (double[][]) get(jac, "x");
            double[] value = (double[]) get(jac, "value");
            assertTrue(Arrays.equals((double[]) invokeObject(model, "hiddenLayer", x), value));
            for (int out = 0; out < hidden; out++) {
                final int o = out;
                ToDoubleFunction<Object> f = m -> ((double[]) invokeObject(m, "hiddenLayer", x))[o];
                assertClose(fd(model, w1, f), dW[out]);
                assertClose(fd(model, x, f), dx[out]);
            }
            // VJP: seed^T J; JVP: J v
            double[] seed = vector(random, hidden);
            Object vjp = call("models.MlpGrad", "hiddenLayerVjp", model, x, seed);
            double[] dxSeeded = (double[]) get(vjp, "x");
            double[][] dWSeeded = (double[][]) get(vjp, "w1");
            for (int i = 0; i < in; i++) {
                double s = 0;
                for (int out = 0; out < hidden; out++) {
                    s += seed[out] * dx[out][i];
                }
                assertEquals(s, dxSeeded[i], 1e-12);
            }
            for (int r = 0; r < hidden; r++) {
                for (int c = 0; c < in; c++) {
                    double s = 0;
                    for (int out = 0; out < hidden; out++) {
                        s += seed[out] * dW[out][r][c];
                    }
                    assertEquals(s, dWSeeded[r][c], 1e-12);
                }
            }
            double[][] w1Dot = matrix(random, hidden, in);
            double[] xDot = vector(random, in);
            double[] tangent = (double[]) get(call("models.MlpGrad", "hiddenLayerJvp", model, x, w1Dot, xDot),
                    "tangent");
            for (int out = 0; out < hidden; out++) {
                double expected = dot(dW[out], w1Dot) + dot(dx[out], xDot);
                assertEquals(expected, tangent[out], 1e-12);
            }
        }
    }

    // ------------------------------------------------------------------ a field and a parameter of one name

    @Test
    void fieldAndParameterOfOneName() throws Exception {
        Object model = newObject("models.Scaled", 1.5);
        Object g = call("models.ScaledGrad", "f", model, 2.0);
        assertEquals(1.5 * 4.0, (double) get(g, "value"), 0.0);
        assertEquals(2 * 1.5 * 2.0, (double) get(g, "w"), 1e-15, "d/dw of this.w * w * w, w the parameter");
        assertEquals(4.0, (double) get(g, "thisW"), 1e-15, "d/d(this.w): the field's accessor is thisW");
        // the tangents follow the differentiated fields (the object comes first), then the parameters
        Object j = call("models.ScaledGrad", "fJvp", model, 2.0, 0.5, -1.0);
        assertEquals(4.0 * 0.5 + 6.0 * -1.0, (double) get(j, "tangent"), 1e-15);
        String source = compilation.generatedSource("models.ScaledGrad");
        assertTrue(source.contains("double thisW = scaled.w;"), source);
        assertTrue(source.contains("fJvp(Scaled scaled, double w, double thisWDot, double wDot)"), source);
        assertTrue(g.toString().contains("thisW=4.0"), g::toString);
    }

    // ------------------------------------------------------------------ a record

    @Test
    void recordLossMatchesClosedFormAndFiniteDifferences() throws Exception {
        Random random = new Random(47);
        for (int point = 0; point < 5; point++) {
            double[][] W = matrix(random, 3, 4);
            double[] b = vector(random, 3);
            double[] x = vector(random, 4);
            Object layer = newObject("models.Layer", W, b);
            Object g = call("models.LayerGrad", "loss", layer, x);
            double[][] dW = (double[][]) get(g, "W");
            double[] db = (double[]) get(g, "b");
            double[] dx = (double[]) get(g, "x");
            double[] dxExpected = new double[4];
            for (int j = 0; j < 3; j++) {
                double z = b[j];
                for (int i = 0; i < 4; i++) {
                    z += W[j][i] * x[i];
                }
                double sigmoid = 1 / (1 + Math.exp(-z));
                assertEquals(sigmoid, db[j], 1e-12);
                for (int i = 0; i < 4; i++) {
                    assertEquals(sigmoid * x[i], dW[j][i], 1e-12);
                    dxExpected[i] += sigmoid * W[j][i];
                }
            }
            for (int i = 0; i < 4; i++) {
                assertEquals(dxExpected[i], dx[i], 1e-12);
            }
            ToDoubleFunction<Object> f = l -> invoke(l, "loss", x);
            assertClose(fd(layer, W, f), dW);
            assertClose(fd(layer, b, f), db);
            double[][] WDot = matrix(random, 3, 4);
            double[] bDot = vector(random, 3);
            double[] xDot = vector(random, 4);
            Object j = call("models.LayerGrad", "lossJvp", layer, x, WDot, bDot, xDot);
            double expected = dot(dW, WDot) + dot(db, bDot) + dot(dx, xDot);
            assertEquals(expected, (double) get(j, "tangent"), 1e-12 * Math.max(1, Math.abs(expected)));
        }
    }

    @Test
    void recordJacobianIsTheClosedForm() throws Exception {
        Random random = new Random(53);
        double[][] W = matrix(random, 2, 3);
        double[] b = vector(random, 2);
        double[] x = vector(random, 3);
        Object layer = newObject("models.Layer", W, b);
        Object jac = call("models.LayerGrad", "applyJacobian", layer, x);
        double[][][] dW = (double[][][]) get(jac, "W");
        double[][] db = (double[][]) get(jac, "b");
        for (int out = 0; out < 2; out++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(out == j ? 1.0 : 0.0, db[out][j], 0.0);
                for (int i = 0; i < 3; i++) {
                    assertEquals(out == j ? x[i] : 0.0, dW[out][j][i], 0.0);
                }
            }
        }
        double[] seed = {0.5, -2.0};
        Object vjp = call("models.LayerGrad", "applyVjp", layer, x, seed);
        assertTrue(Arrays.equals(seed, (double[]) get(vjp, "b")));
        double[] tangent = (double[]) get(call("models.LayerGrad", "applyJvp", layer, x, W, b), "tangent");
        double[] value = (double[]) get(jac, "value");
        for (int out = 0; out < 2; out++) {
            assertEquals(value[out], tangent[out], 1e-12, "affine: J (W, b) is the value");
        }
    }

    @Test
    void entryPointsTakeTheObjectFirst() throws Exception {
        Class<?> grad = compilation.loadClass("models.LayerGrad");
        Class<?> layer = compilation.loadClass("models.Layer");
        Method m = grad.getMethod("loss", layer, double[].class);
        assertTrue(java.lang.reflect.Modifier.isStatic(m.getModifiers()));
        String source = compilation.generatedSource("models.LayerGrad");
        assertTrue(source.contains("double[][] W = layer.W();"), source);
        assertTrue(source.contains("@GeneratedFrom(\"loss(double[])\")"), source);
        String mlp = compilation.generatedSource("models.MlpGrad");
        assertTrue(mlp.contains("double[][] w1 = mlp.w1;"), mlp);
        assertTrue(mlp.contains("lossJvp(Mlp mlp, double[] x, double y, double[][] w1Dot, double[] b1Dot,"), mlp);
    }

    // ------------------------------------------------------------------ helpers

    static double[] vector(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    static double[][] matrix(Random r, int rows, int cols) {
        double[][] m = new double[rows][];
        for (int i = 0; i < rows; i++) {
            m[i] = vector(r, cols);
        }
        return m;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double dot(double[][] a, double[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += dot(a[i], b[i]);
        }
        return s;
    }

    /** Central differences of f at the object, perturbing each element of one of its arrays in place. */
    static double[] fd(Object model, double[] a, ToDoubleFunction<Object> f) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double saved = a[i];
            double h = 1e-6 * Math.max(1, Math.abs(saved));
            a[i] = saved + h;
            double up = f.applyAsDouble(model);
            a[i] = saved - h;
            double down = f.applyAsDouble(model);
            a[i] = saved;
            d[i] = (up - down) / (2 * h);
        }
        return d;
    }

    static double[][] fd(Object model, double[][] a, ToDoubleFunction<Object> f) {
        double[][] d = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            d[i] = fd(model, a[i], f);
        }
        return d;
    }

    static void assertClose(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-6 * Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tol, "component " + i + ": " + Arrays.toString(actual));
        }
    }

    static void assertClose(double[][] expected, double[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i]);
        }
    }

    static Object newObject(String className, Object... args) {
        try {
            Class<?> c = compilation.loadClass(className);
            Constructor<?> k = c.getDeclaredConstructors()[0];
            k.setAccessible(true);
            return k.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** A public static method of a generated class, by name and number of arguments. */
    static Object call(String className, String name, Object... args) throws Exception {
        Class<?> c = compilation.loadClass(className);
        for (Method m : c.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                return m.invoke(null, args);
            }
        }
        throw new AssertionError("no " + name + " with " + args.length + " parameters in " + className);
    }

    static Object get(Object result, String accessor) {
        try {
            return result.getClass().getMethod(accessor).invoke(result);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    static boolean hasMethod(Object result, String name) {
        return Arrays.stream(result.getClass().getMethods()).anyMatch(m -> m.getName().equals(name));
    }

    /** Runs the user's instance method. */
    static Object invokeObject(Object target, String name, Object... args) {
        for (Method m : target.getClass().getDeclaredMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                try {
                    m.setAccessible(true);
                    return m.invoke(target, args);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no method " + name);
    }

    static double invoke(Object target, String name, Object... args) {
        return (double) invokeObject(target, name, args);
    }

    static double invokeWith(Object target, String name, Object... args) {
        return invoke(target, name, args);
    }
}
