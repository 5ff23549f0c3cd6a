package dev.adjoint.gradbench.ba;

import static dev.adjoint.gradbench.Checks.assertClose;
import static dev.adjoint.gradbench.Checks.derivative;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adjoint.gradbench.BadInput;
import dev.adjoint.gradbench.Checks;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated Jacobian blocks of {@link Ba} against finite differences, the assembled CSR Jacobian against the
 * structure {@link BaJacobian} describes and against finite differences of the whole residual vector, and the
 * compressed outputs against a recording.
 */
class BaTest {
    static final double FD_TOLERANCE = 1e-7;

    /** A camera looking down +z at points a few units away, with small distortion; {@code rotation} scales r. */
    static double[] camera(Random r, double rotation) {
        return new double[] {rotation * r.nextGaussian(), rotation * r.nextGaussian(), rotation * r.nextGaussian(),
            0.3 * r.nextGaussian(), 0.3 * r.nextGaussian(), -5 + 0.3 * r.nextGaussian(),
            1 + 0.2 * r.nextDouble(), 0.1 * r.nextGaussian(), 0.1 * r.nextGaussian(),
            0.05 * r.nextGaussian(), 0.01 * r.nextGaussian()};
    }

    static double[] point(Random r) {
        return new double[] {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
    }

    static double[] feature(Random r) {
        return new double[] {0.2 * r.nextGaussian(), 0.2 * r.nextGaussian()};
    }

    /** The 2×15 block [∂cam | ∂x | ∂w] at seeded points, with the rotation at zero (the other branch) or not. */
    @ParameterizedTest
    @ValueSource(doubles = {0.4, 1.5, 0.0})
    void reprojectionBlockMatchesFiniteDifferences(double rotation) {
        Random r = new Random(17 + (long) (rotation * 10));
        for (int trial = 0; trial < 5; trial++) {
            double[] cam;
            double[] x;
            double w = 0.2 + r.nextDouble();
            double[] feat = feature(r);
            do {
                // a point well in front of the camera, so that the residual is smooth at the scale of h
                cam = camera(r, rotation);
                x = point(r);
            } while (!wellConditioned(cam, x));
            checkBlock(cam, x, w, feat, rotation);
        }
    }

    /** True when the projection of x stays within 3 units of the image centre (its depth is not near zero). */
    static boolean wellConditioned(double[] cam, double[] x) {
        double[] residual = Ba.reprojection(cam, x, 1, new double[2]);
        return Math.abs(residual[0]) < 3 && Math.abs(residual[1]) < 3;
    }

    /** The generated 2×15 block and the 1×1 weight block at one point, entry by entry against differences. */
    private static void checkBlock(double[] cam, double[] x, double w, double[] feat, double rotation) {
        BaGrad.ReprojectionJacobian j = BaGrad.reprojectionJacobian(cam, x, w, feat);
        assertArrayEquals(Ba.reprojection(cam, x, w, feat), j.value(), 0, "value() is the residual");
        for (int row = 0; row < 2; row++) {
            int out = row;
            for (int c = 0; c < 11; c++) {
                int cc = c;
                double fd = derivative(v -> {
                    double[] moved = cam.clone();
                    moved[cc] = v;
                    return Ba.reprojection(moved, x, w, feat)[out];
                }, cam[c]);
                // at zero rotation the differences cross into Rodrigues' branch, which agrees to O(h²)
                double tolerance = rotation == 0 && c < 3 ? 1e-5 : FD_TOLERANCE;
                assertClose(fd, j.cam()[row][c], tolerance, "row " + row + " d/dcam[" + c + "]");
            }
            for (int c = 0; c < 3; c++) {
                int cc = c;
                double fd = derivative(v -> {
                    double[] moved = x.clone();
                    moved[cc] = v;
                    return Ba.reprojection(cam, moved, w, feat)[out];
                }, x[c]);
                assertClose(fd, j.x()[row][c], FD_TOLERANCE, "row " + row + " d/dx[" + c + "]");
            }
            double fd = derivative(v -> Ba.reprojection(cam, x, v, feat)[out], w);
            assertClose(fd, j.w()[row], FD_TOLERANCE, "row " + row + " d/dw");
        }
        BaGrad.WeightResidualJacobian wj = BaGrad.weightResidualJacobian(w);
        assertClose(derivative(v -> Ba.weightResidual(v)[0], w), wj.w()[0], FD_TOLERANCE, "d(1 − w²)/dw");
        assertClose(-2 * w, wj.w()[0], 1e-15, "d(1 − w²)/dw");
    }

    /** A small problem with distinct cameras, points, weights and features. */
    static BaProblem distinct(long seed, int n, int m, int p) {
        Random r = new Random(seed);
        double[][] cams = new double[n][];
        for (int i = 0; i < n; i++) {
            cams[i] = camera(r, 0.5);
        }
        double[][] points = new double[m][];
        for (int i = 0; i < m; i++) {
            points[i] = point(r);
        }
        double[] weights = new double[p];
        double[][] feats = new double[p][];
        int[] camera = new int[p];
        int[] point = new int[p];
        for (int i = 0; i < p; i++) {
            weights[i] = 0.2 + r.nextDouble();
            feats[i] = feature(r);
            camera[i] = r.nextInt(n);
            point[i] = r.nextInt(m);
        }
        return new BaProblem(cams, points, weights, feats, camera, point);
    }

    /** The residual vector [reprojection (2p) | weight (p)] of a problem, all flattened. */
    static double[] residualVector(BaProblem problem) {
        int p = problem.p();
        double[] weightResiduals = new double[p];
        double[][] reproj = BaJacobian.residuals(problem, weightResiduals);
        double[] out = new double[3 * p];
        for (int i = 0; i < p; i++) {
            out[2 * i] = reproj[i][0];
            out[2 * i + 1] = reproj[i][1];
            out[2 * p + i] = weightResiduals[i];
        }
        return out;
    }

    /**
     * The CSR arrays: 3p + 1 row pointers stepping by 15 over the reprojection rows and by 1 over the weight rows;
     * each reprojection row's columns are its camera's 11, its point's 3 (after the 11n camera columns) and its
     * weight's (after the 3m point columns), in that order; a weight row's column is its weight's.
     */
    @Test
    void csrStructureIsTheDescribedOne() {
        int n = 3;
        int m = 4;
        int p = 7;
        BaProblem problem = distinct(5, n, m, p);
        BaJacobian j = new BaJacobian(problem).compute(problem);
        assertEquals(3 * p + 1, j.rows.length);
        assertEquals(31 * p, j.cols.length);
        assertEquals(31 * p, j.vals.length);
        for (int row = 0; row <= 2 * p; row++) {
            assertEquals(15 * row, j.rows[row], "rows[" + row + "]");
        }
        for (int i = 1; i <= p; i++) {
            assertEquals(30 * p + i, j.rows[2 * p + i], "rows[" + (2 * p + i) + "]");
        }
        for (int i = 0; i < p; i++) {
            for (int r = 0; r < 2; r++) {
                int start = j.rows[2 * i + r];
                for (int c = 0; c < 11; c++) {
                    assertEquals(11 * problem.camera()[i] + c, j.cols[start + c], "obs " + i + " camera column");
                }
                for (int c = 0; c < 3; c++) {
                    assertEquals(11 * n + 3 * problem.point()[i] + c, j.cols[start + 11 + c], "obs " + i + " point");
                }
                assertEquals(11 * n + 3 * m + i, j.cols[start + 14], "obs " + i + " weight column");
            }
            assertEquals(11 * n + 3 * m + i, j.cols[j.rows[2 * p + i]], "weight row " + i);
        }
    }

    /** Every entry of the dense Jacobian (11n + 3m + p columns) by finite differences, against the CSR one. */
    @Test
    void csrValuesMatchFiniteDifferencesOfTheResiduals() {
        int n = 2;
        int m = 3;
        int p = 5;
        BaProblem problem = distinct(9, n, m, p);
        BaJacobian j = new BaJacobian(problem).compute(problem);
        int columns = 11 * n + 3 * m + p;
        double[][] dense = new double[3 * p][columns];
        for (int row = 0; row < 3 * p; row++) {
            for (int at = j.rows[row]; at < j.rows[row + 1]; at++) {
                dense[row][j.cols[at]] += j.vals[at];
            }
        }
        for (int col = 0; col < columns; col++) {
            double[] slot = parameter(problem, col);
            int index = col < 11 * n ? col % 11 : col < 11 * n + 3 * m ? (col - 11 * n) % 3 : col - 11 * n - 3 * m;
            double x0 = slot[index];
            for (int row = 0; row < 3 * p; row++) {
                int rr = row;
                DoubleUnaryOperator f = v -> {
                    slot[index] = v;
                    double y = residualVector(problem)[rr];
                    slot[index] = x0;
                    return y;
                };
                assertClose(derivative(f, x0), dense[row][col], FD_TOLERANCE, "J[" + row + "][" + col + "]");
            }
        }
    }

    /** The array holding parameter column {@code col}: a camera, a point, or the weights. */
    private static double[] parameter(BaProblem problem, int col) {
        int n = problem.n();
        int m = problem.m();
        if (col < 11 * n) {
            return problem.cams()[col / 11];
        }
        if (col < 11 * n + 3 * m) {
            return problem.points()[(col - 11 * n) / 3];
        }
        return problem.weights();
    }

    /** GradBench's replication: camera i mod n and point i mod m, every datum a copy of the input's. */
    @Test
    void replicationPairsObservationsRoundRobin() {
        double[] cam = new double[11];
        cam[6] = 1;
        BaProblem problem = BaProblem.replicated(3, 5, 8, cam, new double[] {1, 2, 3}, 0.5, new double[] {4, 5});
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2, 0, 1}, problem.camera());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 0, 1, 2}, problem.point());
        assertTrue(problem.cams()[0] != problem.cams()[1], "each camera its own array");
        assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, problem.weights());
    }

    /** GradBench's workload ba1: the compressed residuals and the compressed CSR Jacobian against the manual tool's. */
    @Test
    void recordedWorkloadMatchesReference() throws BadInput {
        JsonNode w = Checks.workload("ba/ba1.json");
        BaEval eval = new BaEval();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> f = (Map<String, Map<String, Object>>) eval.prepare("objective",
                w.get("input")).run();
        JsonNode expectedF = w.at("/expected/objective");
        int p = w.at("/input/p").asInt();
        double[] elements = (double[]) f.get("reproj_error").get("elements");
        for (int i = 0; i < 2; i++) {
            assertClose(expectedF.at("/reproj_error/elements").get(i).asDouble(), elements[i], 1e-10, "reproj " + i);
        }
        assertEquals(p, f.get("reproj_error").get("repeated"));
        assertClose(expectedF.at("/w_err/element").asDouble(), (Double) f.get("w_err").get("element"), 1e-12, "w_err");
        assertEquals(p, f.get("w_err").get("repeated"));

        @SuppressWarnings("unchecked")
        Map<String, Object> j = (Map<String, Object>) eval.prepare("jacobian", w.get("input")).run();
        JsonNode expectedJ = w.at("/expected/jacobian");
        int[] rows = (int[]) j.get("rows");
        int[] cols = (int[]) j.get("cols");
        double[] vals = (double[]) j.get("vals");
        assertEquals(31, rows.length);
        for (int i = 0; i < 31; i++) {
            assertEquals(expectedJ.get("rows").get(i).asInt(), rows[i], "rows[" + i + "]");
            assertEquals(expectedJ.get("cols").get(i).asInt(), cols[i], "cols[" + i + "]");
            assertClose(expectedJ.get("vals").get(i).asDouble(), vals[i], 1e-10, "vals[" + i + "]");
        }
    }
}
