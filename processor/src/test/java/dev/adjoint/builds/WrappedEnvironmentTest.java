package dev.adjoint.builds;

import dev.adjoint.testing.WrappingProcessor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.RandomPoints;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import javax.annotation.processing.ProcessingEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Build tools and IDEs hand processors a wrapped {@link ProcessingEnvironment}. Adjoint unwraps it to javac's own
 * for the Tree API (and keeps using the wrapper for everything else); where it cannot (not javac), it stops with a
 * single ADJ019 error that says what to do.
 */
class WrappedEnvironmentTest {

    static final String MODEL = """
            package wrap;

            import dev.adjoint.Differentiable;

            class Model {
                @Differentiable
                static double f(double x, double[] w, int n) {
                    double s = x;
                    for (int i = 0; i < n; i++) {
                        s = Math.tanh(s * w[i % w.length]) + x;
                    }
                    return s * s;
                }
            }
            """;

    static final String SECOND = """
            package wrap;

            import dev.adjoint.Differentiable;

            class Second {
                @Differentiable
                static double g(double x) {
                    return x * x;
                }
            }
            """;

    private static Compilation compileWrapped(UnaryOperator<ProcessingEnvironment> wrap,
            AtomicReference<WrappingProcessor> used, String... sources) {
        return Javac.adjoint().strict().withProcessors(() -> {
            WrappingProcessor p = new WrappingProcessor(wrap);
            used.set(p);
            return List.of(p);
        }).compile(sources);
    }

    private static void assertGradientsWork(UnaryOperator<ProcessingEnvironment> wrap, Class<?> wrapperKind) {
        AtomicReference<WrappingProcessor> used = new AtomicReference<>();
        Compilation c = compileWrapped(wrap, used, MODEL).assertSucceeded();
        assertTrue(wrapperKind.isInstance(used.get().given) || Proxy.isProxyClass(used.get().given.getClass()),
                "the processor was not given the wrapper");
        assertFalse(used.get().given.getClass().getName().startsWith("com.sun.tools.javac"));
        Grad g = Grad.of(c, "wrap.Model", "f");
        GradientCheck.of(g).tolerance(1e-6)
                .atAll(RandomPoints.points(5, 6, r -> new Object[] {r.uniform(-1, 1), r.vector(3, -1, 1),
                        r.integer(0, 5)}))
                .assertPassed(6, 0.2);
    }

    @Test
    void gradleStyleDelegateField() {
        assertGradientsWork(WrappingProcessor::gradleStyle, WrappingProcessor.DelegatingEnvironment.class);
    }

    @Test
    void dynamicProxy() {
        assertGradientsWork(WrappingProcessor::proxy, Proxy.class);
    }

    @Test
    void proxyAroundADelegateField() {
        assertGradientsWork(WrappingProcessor::twice, Proxy.class);
    }

    /** Nothing to unwrap: one clear ADJ019 error, however many annotated classes, and no crash. */
    @Test
    void noTreeApiGivesOneClearError() {
        AtomicReference<WrappingProcessor> used = new AtomicReference<>();
        Compilation c = compileWrapped(WrappingProcessor::opaque, used, MODEL, SECOND);
        assertFalse(c.succeeded(), c::report);
        assertNull(c.crash(), c::report);
        assertEquals(1, c.errors().size(), c::report);
        String message = c.errors().get(0).message();
        assertTrue(message.startsWith("[ADJ019]"), message);
        assertTrue(message.contains("javac"), "the message must say to compile with javac: " + message);
        assertFalse(message.contains("Exception"), message);
        assertTrue(c.generatedSources().isEmpty(), c::report);
    }
}
