package dev.adjoint.gradbench.ht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adjoint.gradbench.BadInput;
import dev.adjoint.gradbench.ht.HtEval.ThetaMode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ht eval's generated derivatives: against GradBench's reference outputs on a fixture cut from a recording
 * ({@code src/test/resources/ht/README.md}), against central finite differences of the primal at seeded random θ
 * (and u, v), and forward mode (the Jacobian, JVPs) against reverse mode (VJPs).
 */
class HandTrackingTest {
    private static final String COMPLICATED = "/ht/complicated-hand1-c20.json";
    private static final String SIMPLE = "/ht/simple-hand1-c20.json";

    private static JsonNode fixture(String resource) throws IOException {
        try (InputStream in = HandTrackingTest.class.getResourceAsStream(resource)) {
            assertTrue(in != null, "missing test resource " + resource);
            return new ObjectMapper().readTree(in);
        }
    }

    private static double[][] matrix(JsonNode rows) {
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new double[rows.get(i).size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = rows.get(i).get(j).doubleValue();
            }
        }
        return m;
    }

    private static double[] vector(JsonNode values) {
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i).doubleValue();
        }
        return v;
    }

    /** |a − e| ≤ tol · max(1, |a| + |e|), GradBench's rule with a tolerance of our choosing. */
    private static void assertClose(double expected, double actual, double tol, String what) {
        double scale = Math.max(1, Math.abs(expected) + Math.abs(actual));
        assertTrue(Math.abs(actual - expected) <= tol * scale,
                what + ": expected " + expected + ", got " + actual + " (tolerance " + tol + ")");
    }

    private static void assertClose(double[][] expected, double[][] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": rows");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length, what + ": columns of row " + i);
            for (int j = 0; j < expected[i].length; j++) {
                assertClose(expected[i][j], actual[i][j], tol, what + "[" + i + "][" + j + "]");
            }
        }
    }

    // ---- against GradBench's reference (the manual tool's recorded outputs) ----

    @Test
    void complicatedMatchesTheReference() throws IOException, BadInput {
        JsonNode f = fixture(COMPLICATED);
        HtEval.Problem p = HtEval.read(f.get("input"));
        double[] objective = p.model().triangleResiduals(p.theta(), p.us());
        double[] expected = vector(f.get("objective"));
        assertEquals(60, objective.length);
        for (int i = 0; i < objective.length; i++) {
            assertClose(expected[i], objective[i], 1e-12, "objective[" + i + "]");
        }
        double[][] reference = matrix(f.get("jacobian"));
        assertEquals(28, reference[0].length);
        for (ThetaMode mode : ThetaMode.values()) {
            assertClose(reference, HtEval.complicatedJacobian(p.model(), p.theta(), p.us(), mode), 1e-12,
                    "jacobian (" + mode + ")");
        }
    }

    @Test
    void simpleMatchesTheReference() throws IOException, BadInput {
        JsonNode f = fixture(SIMPLE);
        HtEval.Problem p = HtEval.read(f.get("input"));
        assertEquals(null, p.us());
        double[] objective = p.model().vertexResiduals(p.theta());
        double[] expected = vector(f.get("objective"));
        assertEquals(60, objective.length);
        for (int i = 0; i < objective.length; i++) {
            assertClose(expected[i], objective[i], 1e-12, "objective[" + i + "]");
        }
        double[][] reference = matrix(f.get("jacobian"));
        assertEquals(26, reference[0].length);
        for (ThetaMode mode : ThetaMode.values()) {
            assertClose(reference, HtEval.simpleJacobian(p.model(), p.theta(), mode), 1e-12,
                    "jacobian (" + mode + ")");
        }
    }

    // ---- against central finite differences of the primal, at seeded random points ----

    /** θ with each component uniform in [−1.5, 1.5] (a global rotation well away from the 1e-4 cut-off). */
    private static double[] randomTheta(Random random) {
        double[] theta = new double[HandTracking.PARAMETERS];
        for (int k = 0; k < theta.length; k++) {
            theta[k] = 3 * random.nextDouble() - 1.5;
        }
        return theta;
    }

    /** The same model with {@code mirrored} set as given. */
    private static HandTracking withMirror(HandTracking m, boolean mirrored) {
        return new HandTracking(m.baseRelatives, m.inverseBaseAbsolutes, m.parents, m.basePositions, m.weights,
                m.triangles, mirrored, m.correspondences, m.points);
    }

    private static final double STEP = 1e-6;
    private static final double FD_TOLERANCE = 1e-7;

    @Test
    void complicatedJacobianMatchesFiniteDifferences() throws IOException, BadInput {
        HtEval.Problem p = HtEval.read(fixture(COMPLICATED).get("input"));
        Random random = new Random(20261202L);
        for (boolean mirrored : new boolean[] {false, true}) {
            HandTracking model = withMirror(p.model(), mirrored);
            for (int trial = 0; trial < 3; trial++) {
                double[] theta = randomTheta(random);
                double[][] us = new double[p.us().length][2];
                for (double[] u : us) {
                    u[0] = random.nextDouble();
                    u[1] = (1 - u[0]) * random.nextDouble();
                }
                double[][] jacobian = HtEval.complicatedJacobian(model, theta, us, ThetaMode.VECTOR);
                int rows = jacobian.length;
                // θ columns
                for (int k = 0; k < HandTracking.PARAMETERS; k++) {
                    double[] plus = theta.clone();
                    double[] minus = theta.clone();
                    plus[k] += STEP;
                    minus[k] -= STEP;
                    double[] fPlus = model.triangleResiduals(plus, us);
                    double[] fMinus = model.triangleResiduals(minus, us);
                    for (int row = 0; row < rows; row++) {
                        assertClose((fPlus[row] - fMinus[row]) / (2 * STEP), jacobian[row][2 + k], FD_TOLERANCE,
                                "mirrored " + mirrored + ", trial " + trial + ", d r" + row + "/d theta" + k);
                    }
                }
                // u and v columns: row 3i + j against its own u_i, v_i
                for (int which = 0; which < 2; which++) {
                    for (int i = 0; i < us.length; i++) {
                        double[][] plus = copy(us);
                        double[][] minus = copy(us);
                        plus[i][which] += STEP;
                        minus[i][which] -= STEP;
                        double[] fPlus = model.triangleResiduals(theta, plus);
                        double[] fMinus = model.triangleResiduals(theta, minus);
                        for (int j = 0; j < 3; j++) {
                            int row = 3 * i + j;
                            assertClose((fPlus[row] - fMinus[row]) / (2 * STEP), jacobian[row][which],
                                    FD_TOLERANCE, "trial " + trial + ", d r" + row + "/d " + (which == 0 ? "u" : "v")
                                            + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void simpleJacobianMatchesFiniteDifferences() throws IOException, BadInput {
        HtEval.Problem p = HtEval.read(fixture(SIMPLE).get("input"));
        Random random = new Random(26L);
        for (boolean mirrored : new boolean[] {false, true}) {
            HandTracking model = withMirror(p.model(), mirrored);
            for (int trial = 0; trial < 3; trial++) {
                double[] theta = randomTheta(random);
                double[][] jacobian = HtEval.simpleJacobian(model, theta, ThetaMode.FORWARD);
                for (int k = 0; k < HandTracking.PARAMETERS; k++) {
                    double[] plus = theta.clone();
                    double[] minus = theta.clone();
                    plus[k] += STEP;
                    minus[k] -= STEP;
                    double[] fPlus = model.vertexResiduals(plus);
                    double[] fMinus = model.vertexResiduals(minus);
                    for (int row = 0; row < jacobian.length; row++) {
                        assertClose((fPlus[row] - fMinus[row]) / (2 * STEP), jacobian[row][k], FD_TOLERANCE,
                                "mirrored " + mirrored + ", trial " + trial + ", d r" + row + "/d theta" + k);
                    }
                }
            }
        }
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    // ---- forward against reverse ----

    @Test
    void vjpsAgreeWithTheJacobian() throws IOException, BadInput {
        HtEval.Problem p = HtEval.read(fixture(COMPLICATED).get("input"));
        HtEval.Problem s = HtEval.read(fixture(SIMPLE).get("input"));
        Random random = new Random(7L);
        double[] theta = randomTheta(random);
        double[][] us = p.us();
        int rows = 3 * p.model().correspondenceCount();
        double[] seed = new double[rows];
        for (int r = 0; r < rows; r++) {
            seed[r] = random.nextGaussian();
        }

        // complicated: seedᵀ J by one reverse sweep, against the forward-mode columns
        double[][] jacobian = HtEval.complicatedJacobian(p.model(), theta, us, ThetaMode.VECTOR);
        HandTrackingGrad.SurfaceResidualsVjp vjp = HandTrackingGrad.surfaceResidualsVjp(p.model(), theta, us, seed);
        double[] thetaOnly = HandTrackingGrad.triangleResidualsVjp(p.model(), theta, us, seed).theta();
        for (int k = 0; k < HandTracking.PARAMETERS; k++) {
            double expected = 0;
            for (int r = 0; r < rows; r++) {
                expected += seed[r] * jacobian[r][2 + k];
            }
            assertClose(expected, vjp.theta()[k], 1e-12, "vjp theta" + k);
            assertClose(expected, thetaOnly[k], 1e-12, "theta-only vjp theta" + k);
        }
        for (int i = 0; i < us.length; i++) {
            for (int which = 0; which < 2; which++) {
                double expected = 0;
                for (int j = 0; j < 3; j++) {
                    expected += seed[3 * i + j] * jacobian[3 * i + j][which];
                }
                assertClose(expected, vjp.us()[i][which], 1e-12, "vjp us[" + i + "][" + which + "]");
            }
        }

        // simple
        double[][] simple = HtEval.simpleJacobian(s.model(), theta, ThetaMode.VECTOR);
        double[] simpleVjp = HandTrackingGrad.vertexResidualsVjp(s.model(), theta, seed).theta();
        for (int k = 0; k < HandTracking.PARAMETERS; k++) {
            double expected = 0;
            for (int r = 0; r < rows; r++) {
                expected += seed[r] * simple[r][k];
            }
            assertClose(expected, simpleVjp[k], 1e-12, "simple vjp theta" + k);
        }
    }

    @Test
    void forwardAndVectorModesAgree() throws IOException, BadInput {
        HtEval.Problem p = HtEval.read(fixture(COMPLICATED).get("input"));
        double[] theta = randomTheta(new Random(11L));
        assertClose(HtEval.complicatedJacobian(p.model(), theta, p.us(), ThetaMode.VECTOR),
                HtEval.complicatedJacobian(p.model(), theta, p.us(), ThetaMode.FORWARD), 1e-13, "complicated");
        HtEval.Problem s = HtEval.read(fixture(SIMPLE).get("input"));
        assertClose(HtEval.simpleJacobian(s.model(), theta, ThetaMode.VECTOR),
                HtEval.simpleJacobian(s.model(), theta, ThetaMode.FORWARD), 1e-13, "simple");
    }

    @Test
    void noGlobalRotationGivesFiniteDerivatives() throws IOException, BadInput {
        // below a rotation of 1e-4 the global rotation is the identity: its θ columns are zero, and nothing is NaN
        HtEval.Problem p = HtEval.read(fixture(COMPLICATED).get("input"));
        double[] theta = randomTheta(new Random(3L));
        theta[0] = 0;
        theta[1] = 0;
        theta[2] = 0;
        for (ThetaMode mode : ThetaMode.values()) {
            double[][] jacobian = HtEval.complicatedJacobian(p.model(), theta, p.us(), mode);
            for (int row = 0; row < jacobian.length; row++) {
                for (int col = 0; col < jacobian[row].length; col++) {
                    assertTrue(Double.isFinite(jacobian[row][col]), mode + ": [" + row + "][" + col + "]");
                }
                for (int k = 0; k < 3; k++) {
                    assertEquals(0.0, jacobian[row][2 + k], 0.0, mode + ": d r" + row + "/d theta" + k);
                }
                // the translation enters every residual with −1 on its own axis
                assertEquals(-1.0, jacobian[row][2 + 3 + row % 3], 1e-12, mode + ": d r" + row + "/d translation");
            }
        }
        // reverse mode too: a VJP's θ gradient is finite, zero for the rotation
        double[] seed = new double[3 * p.model().correspondenceCount()];
        java.util.Arrays.fill(seed, 1);
        double[] gradient = HandTrackingGrad.surfaceResidualsVjp(p.model(), theta, p.us(), seed).theta();
        for (int k = 0; k < gradient.length; k++) {
            assertTrue(Double.isFinite(gradient[k]), "vjp theta" + k + " is " + gradient[k]);
        }
        for (int k = 0; k < 3; k++) {
            assertEquals(0.0, gradient[k], 0.0, "vjp theta" + k);
        }
    }
}
