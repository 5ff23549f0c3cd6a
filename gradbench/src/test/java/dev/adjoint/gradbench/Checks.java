package dev.adjoint.gradbench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.DoubleUnaryOperator;

/** What the eval tests share: central finite differences, a relative comparison, and the recorded workloads. */
public final class Checks {
    private Checks() {
    }

    /**
     * The derivative of {@code f} at {@code x0} by central differences with one Richardson step:
     * (4 D(h/2) − D(h)) / 3 with D(h) = (f(x0 + h) − f(x0 − h)) / 2h, h = 1e-3·max(1, |x0|). Its error is O(h⁴)
     * in truncation and about 1e-13/h in rounding for functions of order 1.
     */
    public static double derivative(DoubleUnaryOperator f, double x0) {
        double h = 1e-3 * Math.max(1, Math.abs(x0));
        double coarse = (f.applyAsDouble(x0 + h) - f.applyAsDouble(x0 - h)) / (2 * h);
        double fine = (f.applyAsDouble(x0 + h / 2) - f.applyAsDouble(x0 - h / 2)) / h;
        return (4 * fine - coarse) / 3;
    }

    /** Asserts |actual − expected| ≤ tolerance·max(1, |expected|), naming {@code what}. */
    public static void assertClose(double expected, double actual, double tolerance, String what) {
        double error = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
        assertTrue(error <= tolerance, () -> what + ": " + actual + ", expected " + expected + " (relative error "
                + error + " > " + tolerance + ")");
    }

    /** A recorded workload from the test resources ({@code description}, {@code input}, {@code expected}). */
    public static JsonNode workload(String resource) {
        try (InputStream in = Checks.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A deep copy of a matrix. */
    public static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }
}
