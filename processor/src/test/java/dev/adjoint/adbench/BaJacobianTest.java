package dev.adjoint.adbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.JacobianCheck;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.Measurements;
import dev.adjoint.testing.RandomPoints;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ADBench's bundle adjustment (github.com/microsoft/ADBench, MIT) as the vector-valued function it is: the
 * reprojection residual of one observation, w·(projection of X by the camera − feature), is a
 * {@code @Differentiable} method returning {@code double[2]}, and its generated {@code reprojectionJacobian} is the
 * 2×15 block [∂cam (11) | ∂X (3) | ∂w] of ADBench's sparse Jacobian, compared with the values ADBench's unit test
 * expects; the Zach weight residual 1 − w² is a one-output method giving the remaining rows. (BaReferenceTest
 * builds the same rows one gradient at a time from scalar methods.)
 */
class BaJacobianTest {
    /**
     * Agreement with ADBench's values, relative to max(1, |value|). Both are the same derivative in double precision,
     * evaluated in a different order (ADBench's C++ code against Adjoint's forward sweeps), so they may differ by
     * rounding only: the largest difference measured is 5.5e-16 of max(1, |value|), about one ulp of the entries of
     * 1e2-1e3 (rotation, distortion). 1e-12 leaves three orders of magnitude for another JDK's {@code Math.sin},
     * {@code cos} and {@code sqrt} (allowed an ulp or so of error each) and is still far below what a wrong or missing
     * term would give (an error of order 1 relative).
     */
    static final double J_TOLERANCE = 1e-12;

    static final String SOURCE = """
            package adbench;

            import dev.adjoint.Differentiable;

            public final class Ba {
                private Ba() {}

                /**
                 * The reprojection residual of one observation, w·(π(cam, x) − feat), its two components x and y.
                 * cam is [r1 r2 r3 (angle-axis rotation), C1 C2 C3 (centre), f, u0 v0 (principal point), k1 k2
                 * (radial distortion)]; π rotates x − C by Rodrigues' formula, divides by depth, distorts radially by
                 * 1 + k1 r² + k2 r⁴, scales by f and shifts by (u0, v0).
                 */
                @Differentiable(wrt = {"cam", "x", "w"})
                public static double[] reprojection(double[] cam, double[] x, double w, double[] feat) {
                    double[] p = new double[3];
                    for (int i = 0; i < 3; i++) {
                        p[i] = x[i] - cam[3 + i];
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
                        // first order: R ≈ I + [r]×, as ADBench does at zero rotation
                        rotated[0] = p[0] + cam[1] * p[2] - cam[2] * p[1];
                        rotated[1] = p[1] + cam[2] * p[0] - cam[0] * p[2];
                        rotated[2] = p[2] + cam[0] * p[1] - cam[1] * p[0];
                    }

                    double u = rotated[0] / rotated[2];
                    double v = rotated[1] / rotated[2];
                    double rsq = u * u + v * v;
                    double distortion = 1 + cam[9] * rsq + cam[10] * rsq * rsq;
                    return new double[] {
                        w * (u * distortion * cam[6] + cam[7] - feat[0]),
                        w * (v * distortion * cam[6] + cam[8] - feat[1])};
                }

                /** The Zach robustifier's weight residual, 1 − w², one row of the Jacobian per observation. */
                @Differentiable
                public static double[] weightResidual(double w) {
                    return new double[] {1 - w * w};
                }
            }
            """;

    private static Compilation compiled;

    @BeforeAll
    static void compile() {
        compiled = Javac.adjoint().strict().compile(SOURCE).assertSucceeded();
        Measurements.record("BA Jacobian: compiled with the processor in %d ms", compiled.elapsed().toMillis());
    }

    /** A fresh check (failures accumulate in one) of the generated derivatives of {@code Ba.reprojection}. */
    private static JacobianCheck reprojection() {
        return JacobianCheck.of(compiled, "adbench.Ba", "reprojection", "cam", "x", "w");
    }

    private static JacobianCheck weight() {
        return JacobianCheck.of(compiled, "adbench.Ba", "weightResidual", "w");
    }

    /** ba/test.txt: n m p, then the one camera, point, weight and feature that ADBench replicates. */
    record Instance(int n, int m, int p, double[] cam, double[] x, double w, double[] feat) {
        static Instance read() {
            AdbenchData.Tokens t = AdbenchData.tokens("ba/test.txt");
            Instance in = new Instance(t.nextInt(), t.nextInt(), t.nextInt(), t.nextDoubles(11), t.nextDoubles(3),
                    t.nextDouble(), t.nextDoubles(2));
            t.expectEnd();
            return in;
        }
    }

    /**
     * ADBench's reader replicates the camera to n cameras and the point to m points; observation i sees point
     * i mod m from camera i mod n. The expected values are, per observation, the x row then the y row of its 2×15
     * block [∂cam | ∂X | ∂w], then the p derivatives ∂(1 − w²)/∂w.
     */
    @Test
    void jacobianBlocksMatchAdbenchUnitTest() {
        Instance in = Instance.read();
        double[][] cams = new double[in.n()][];
        double[][] points = new double[in.m()][];
        for (int i = 0; i < in.n(); i++) {
            cams[i] = in.cam().clone();
        }
        for (int i = 0; i < in.m(); i++) {
            points[i] = in.x().clone();
        }
        double[] reference = AdbenchData.numbers("ba/ba_test_Jvals_from_unit_test.txt");
        assertEquals(in.p() * 2 * 15 + in.p(), reference.length, "Jacobian value count");

        JacobianCheck reprojection = reprojection();
        JacobianCheck weight = weight();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < in.p(); i++) {
            Object[] args = {cams[i % in.n()], points[i % in.m()], in.w(), in.feat()};
            JacobianCheck.Result j = reprojection.jacobian(args);
            double[][] dCam = (double[][]) j.get("cam");
            double[][] dX = (double[][]) j.get("x");
            double[] dW = (double[]) j.get("w");
            assertEquals(2, dCam.length, "two residuals per observation");
            for (int row = 0; row < 2; row++) {
                assertEquals(11, dCam[row].length);
                assertEquals(3, dX[row].length);
                for (double d : dCam[row]) {
                    values.add(d);
                }
                for (double d : dX[row]) {
                    values.add(d);
                }
                values.add(dW[row]);
            }
        }
        for (int i = 0; i < in.p(); i++) {
            double[] dW = (double[]) weight.jacobian(in.w()).get("w");
            assertEquals(1, dW.length, "one weight residual per observation");
            values.add(dW[0]);
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
            // ADBench's structural zeros (∂x-residual/∂v0, ∂y-residual/∂u0) are exact zeros here too
            if (reference[i] == 0 && g != 0) {
                failures.add("J value " + i + " = " + g + ", reference exactly 0");
            }
        }
        Measurements.record("BA Jacobian blocks: %d values, max error %.2e", reference.length, maxError);
        assertTrue(failures.isEmpty(), () -> "Jacobian differs from ADBench's:\n" + String.join("\n", failures));
    }

    /**
     * JacobianCheck (every entry against central finite differences, forward mode against reverse, JVP and VJP
     * against the Jacobian) at ADBench's own observation and at random cameras looking at points in front of them.
     */
    @Test
    void jacobianMatchesFiniteDifferencesAndReverseMode() {
        Instance in = Instance.read();
        JacobianCheck reprojection = reprojection();
        reprojection.at(in.cam(), in.x(), in.w(), in.feat());
        RandomPoints.points(31, 6, r -> {
            double[] cam = new double[11];
            for (int k = 0; k < 3; k++) {
                cam[k] = r.uniform(-1.5, 1.5);       // rotation: angles up to about 2.6 rad
                cam[3 + k] = r.uniform(-2, 2);       // centre
            }
            cam[6] = r.uniform(0.5, 2);              // focal length (normalised image coordinates)
            cam[7] = r.uniform(-0.5, 0.5);
            cam[8] = r.uniform(-0.5, 0.5);
            cam[9] = r.uniform(-0.2, 0.2);
            cam[10] = r.uniform(-0.05, 0.05);
            // a point in front of the camera: camera coordinates q with depth 2..6, mapped back by R^T q + C
            double[] q = {r.uniform(-1, 1), r.uniform(-1, 1), r.uniform(2, 6)};
            double[] back = rotate(new double[] {-cam[0], -cam[1], -cam[2]}, q);
            double[] x = {back[0] + cam[3], back[1] + cam[4], back[2] + cam[5]};
            return new Object[] {cam, x, r.uniform(0.2, 1.5), new double[] {r.uniform(-1, 1), r.uniform(-1, 1)}};
        }).forEach(reprojection::at);
        reprojection.assertPassed();
        Measurements.record("BA Jacobian: %d entries against finite differences, %d unreliable estimates skipped",
                reprojection.compared(), reprojection.skipped());
        assertTrue(reprojection.skipped() <= reprojection.compared() / 5,
                "compared " + reprojection.compared() + ", skipped " + reprojection.skipped());

        weight().at(in.w()).at(-0.7).at(2.0).assertPassed();
    }

    /**
     * At zero rotation the method takes its first-order branch, whose derivative at 0 is the exact one: finite
     * differences step off zero into Rodrigues' branch, so they check that the two agree.
     */
    @Test
    void zeroRotationBranchAgreesWithFiniteDifferences() {
        Instance in = Instance.read();
        double[] cam = in.cam().clone();
        cam[0] = 0;
        cam[1] = 0;
        cam[2] = 0;
        double[] x = in.x().clone();
        x[2] = cam[5] + 5; // in front of the camera
        reprojection().at(cam, x, in.w(), in.feat()).assertPassed();
    }

    /** R(r)·v by Rodrigues' formula (a plain helper, not differentiated). */
    private static double[] rotate(double[] r, double[] v) {
        double theta = Math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
        double[] k = {r[0] / theta, r[1] / theta, r[2] / theta};
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        double dot = (k[0] * v[0] + k[1] * v[1] + k[2] * v[2]) * (1 - cos);
        double[] cross = {k[1] * v[2] - k[2] * v[1], k[2] * v[0] - k[0] * v[2], k[0] * v[1] - k[1] * v[0]};
        double[] out = new double[3];
        for (int i = 0; i < 3; i++) {
            out[i] = v[i] * cos + cross[i] * sin + k[i] * dot;
        }
        return out;
    }
}
