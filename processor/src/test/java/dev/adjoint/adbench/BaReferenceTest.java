package dev.adjoint.adbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.FiniteDifferences;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.Measurements;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ADBench's bundle adjustment (github.com/microsoft/ADBench, MIT): the reprojection error of a point seen by a
 * camera with Rodrigues rotation and radial distortion, and the Zach weight error. Here each row of the sparse
 * Jacobian is the gradient of a scalar method, one residual component; the rows are compared with the Jacobian values
 * ADBench's unit test expects. {@link BaJacobianTest} gets the same values as Jacobian blocks of a method returning
 * both components.
 */
class BaReferenceTest {
    static final double J_TOLERANCE = 1e-8;

    static final String SOURCE = """
            package adbench;

            import dev.adjoint.Differentiable;

            public final class Ba {
                private Ba() {}

                /**
                 * Component {@code coordinate} (0: x, 1: y) of w·(projection of X by cam − feat). cam is
                 * [r1 r2 r3 (angle-axis rotation), C1 C2 C3 (centre), f, u0 v0 (principal point), k1 k2 (radial
                 * distortion)].
                 */
                @Differentiable(wrt = {"cam", "point", "w"})
                public static double reprojectionError(double[] cam, double[] point, double w, double[] feat,
                        int coordinate) {
                    double[] p = new double[3];
                    for (int i = 0; i < 3; i++) {
                        p[i] = point[i] - cam[3 + i];
                    }

                    double[] rotated = new double[3];
                    double sqTheta = cam[0] * cam[0] + cam[1] * cam[1] + cam[2] * cam[2];
                    if (sqTheta != 0) {
                        double theta = Math.sqrt(sqTheta);
                        double cos = Math.cos(theta);
                        double sin = Math.sin(theta);
                        double[] axis = {cam[0] / theta, cam[1] / theta, cam[2] / theta};
                        double[] cross = {
                            axis[1] * p[2] - axis[2] * p[1],
                            axis[2] * p[0] - axis[0] * p[2],
                            axis[0] * p[1] - axis[1] * p[0]};
                        double along = (axis[0] * p[0] + axis[1] * p[1] + axis[2] * p[2]) * (1 - cos);
                        for (int i = 0; i < 3; i++) {
                            rotated[i] = p[i] * cos + cross[i] * sin + axis[i] * along;
                        }
                    } else {
                        // first order: R ≈ I + [r]×
                        rotated[0] = p[0] + cam[1] * p[2] - cam[2] * p[1];
                        rotated[1] = p[1] + cam[2] * p[0] - cam[0] * p[2];
                        rotated[2] = p[2] + cam[0] * p[1] - cam[1] * p[0];
                    }

                    double u = rotated[0] / rotated[2];
                    double v = rotated[1] / rotated[2];
                    double rsq = u * u + v * v;
                    double distortion = 1 + cam[9] * rsq + cam[10] * rsq * rsq;
                    double projected = coordinate == 0
                            ? u * distortion * cam[6] + cam[7]
                            : v * distortion * cam[6] + cam[8];
                    return w * (projected - feat[coordinate]);
                }

                /** The Zach robustifier's weight residual. */
                @Differentiable
                public static double weightError(double w) {
                    return 1 - w * w;
                }
            }
            """;

    private static Grad reprojection;
    private static Grad weight;

    @BeforeAll
    static void compile() {
        Compilation c = Javac.adjoint().strict().compile(SOURCE).assertSucceeded();
        Measurements.record("BA: compiled with the processor in %d ms", c.elapsed().toMillis());
        reprojection = Grad.of(c, "adbench.Ba", "reprojectionError");
        weight = Grad.of(c, "adbench.Ba", "weightError");
    }

    /**
     * ba/test.txt: {@code n m p}, then one camera, one point, one weight and one feature, which ADBench's reader
     * replicates to n cameras, m points and p observations (observation i sees point i mod m from camera i mod n).
     * Expected values: per observation the x row then the y row, each [∂cam (11) | ∂point (3) | ∂w]; then the p
     * weight-error derivatives.
     */
    @Test
    void jacobianMatchesAdbenchUnitTest() {
        AdbenchData.Tokens t = AdbenchData.tokens("ba/test.txt");
        int n = t.nextInt();
        int m = t.nextInt();
        int p = t.nextInt();
        double[] cam = t.nextDoubles(11);
        double[] point = t.nextDoubles(3);
        double w = t.nextDouble();
        double[] feat = t.nextDoubles(2);
        t.expectEnd();
        double[][] cams = new double[n][];
        double[][] points = new double[m][];
        for (int i = 0; i < n; i++) {
            cams[i] = cam.clone();
        }
        for (int i = 0; i < m; i++) {
            points[i] = point.clone();
        }
        double[] reference = AdbenchData.numbers("ba/ba_test_Jvals_from_unit_test.txt");
        assertEquals(p * 2 * 15 + p, reference.length, "Jacobian value count");

        List<Double> values = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            for (int coordinate = 0; coordinate < 2; coordinate++) {
                Object[] args = {cams[i % n], points[i % m], w, feat, coordinate};
                Grad.Result r = reprojection.grad(args);
                assertEquals(reprojection.f(args), r.value(), 0);
                for (double d : r.vector("cam")) {
                    values.add(d);
                }
                for (double d : r.vector("point")) {
                    values.add(d);
                }
                values.add(r.scalar("w"));
            }
        }
        for (int i = 0; i < p; i++) {
            values.add(weight.grad(w).scalar("w"));
        }

        double maxError = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < reference.length; i++) {
            double g = values.get(i);
            double e = Math.abs(g - reference[i]) / Math.max(1, Math.abs(reference[i]));
            maxError = Math.max(maxError, e);
            if (!(e <= J_TOLERANCE) && failures.size() < 20) {
                failures.add("J value " + i + " = " + g + ", reference " + reference[i] + ", error " + e);
            }
        }
        Measurements.record("BA test: %d Jacobian values, max error %.2e", reference.length, maxError);
        assertTrue(failures.isEmpty(), () -> "Jacobian differs from ADBench's:\n" + String.join("\n", failures));
    }

    /**
     * With zero rotation the code takes its first-order branch, whose derivative is still exact; finite
     * differences step off zero into the other branch, so they check that the two agree.
     */
    @Test
    void zeroRotationBranchAgreesWithFiniteDifferences() {
        AdbenchData.Tokens t = AdbenchData.tokens("ba/test.txt");
        t.nextInt();
        t.nextInt();
        t.nextInt();
        double[] cam = t.nextDoubles(11);
        double[] point = t.nextDoubles(3);
        double w = t.nextDouble();
        double[] feat = t.nextDoubles(2);
        cam[0] = 0;
        cam[1] = 0;
        cam[2] = 0;
        point[2] = cam[5] + 5;   // in front of the camera
        for (int coordinate = 0; coordinate < 2; coordinate++) {
            double[] g = reprojection.grad(cam, point, w, feat, coordinate).vector("cam");
            for (int j = 0; j < 11; j++) {
                int k = j;
                int c = coordinate;
                FiniteDifferences.Estimate fd = FiniteDifferences.derivative("cam[" + j + "]", v -> {
                    double[] moved = cam.clone();
                    moved[k] = v;
                    return reprojection.f(moved, point, w, feat, c);
                }, cam[j]);
                double error = FiniteDifferences.relativeError(g[j], fd.richardson());
                assertTrue(error <= 1e-6, "coordinate " + c + ", cam[" + j + "]: AD " + g[j] + ", FD " + fd);
            }
        }
    }
}
