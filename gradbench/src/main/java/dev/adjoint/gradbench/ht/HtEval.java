package dev.adjoint.gradbench.ht;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adjoint.gradbench.BadInput;
import dev.adjoint.gradbench.Eval;
import dev.adjoint.gradbench.Input;

/**
 * Module {@code ht}: GradBench's hand tracking, both variants. {@code objective} gives the {@code [3c]} residuals of
 * {@link HandTracking}; {@code jacobian} gives {@code [3c][26]} (simple variant: {@code us} is empty) or
 * {@code [3c][28]} (complicated: per row ∂/∂u and ∂/∂v of that row's own correspondence, then the 26 θ columns).
 *
 * <p>Every derivative is generated code ({@code HandTrackingGrad}). The θ columns come from 26 generated JVPs, one
 * per θ component ({@link ThetaMode#FORWARD}, the default), or from the generated vector-mode Jacobian
 * ({@link ThetaMode#VECTOR}); the system property {@code adjoint.ht.theta} ({@code forward} or {@code vector}) picks
 * one. The u and v columns come from two JVPs of {@link HandTracking#surfaceResiduals}: row 3i + j depends on u_i
 * and v_i only, so seeding every u at once (then every v) gives each row its own ∂/∂u_i exactly.
 *
 * <p>Why forward is the default: both do about the same arithmetic (26 directions through the same statements), but
 * on HotSpot 17 the vector-mode method, called once per Jacobian and spending its time in loops, was only ever
 * compiled on-stack (its loops alone, at tier 4), so the code between its loops stayed slow; at steady state it took
 * 5 to 10 ms per Jacobian on the big-model workloads against 0.7 to 2.2 ms for the 26 JVPs, whose method is called
 * 26 times as often and is compiled whole. With {@code -XX:-UseOnStackReplacement} the vector mode of the simple
 * variant came down to 1.4 to 2 ms.
 */
public final class HtEval extends Eval {

    /** How the θ columns of the Jacobian are computed. */
    public enum ThetaMode {
        /** 26 generated JVPs, one per θ component. */
        FORWARD,
        /** One generated vector-mode Jacobian (a forward sweep carrying all 26 directions). */
        VECTOR
    }

    private final ThetaMode mode;

    /** The eval with the θ mode of the system property {@code adjoint.ht.theta} (default forward). */
    public HtEval() {
        this(System.getProperty("adjoint.ht.theta", "forward").equalsIgnoreCase("vector") ? ThetaMode.VECTOR
                : ThetaMode.FORWARD);
    }

    /** The eval with the given θ mode. */
    public HtEval(ThetaMode mode) {
        super("ht", "objective", "jacobian");
        this.mode = mode;
    }

    @Override
    public Call prepare(String function, JsonNode input) throws BadInput {
        Problem p = read(input);
        if (function.equals("objective")) {
            return p.us == null ? () -> p.model.vertexResiduals(p.theta)
                    : () -> p.model.triangleResiduals(p.theta, p.us);
        }
        return p.us == null ? () -> simpleJacobian(p.model, p.theta, mode)
                : () -> complicatedJacobian(p.model, p.theta, p.us, mode);
    }

    /** A read input: the model with its observations, θ, and the barycentric weights (null: simple variant). */
    record Problem(HandTracking model, double[] theta, double[][] us) {
    }

    /** The simple variant's Jacobian, {@code [3c][26]}. */
    public static double[][] simpleJacobian(HandTracking model, double[] theta, ThetaMode mode) {
        if (mode == ThetaMode.VECTOR) {
            return HandTrackingGrad.vertexResidualsJacobian(model, theta).theta();
        }
        double[][] jacobian = new double[3 * model.correspondenceCount()][HandTracking.PARAMETERS];
        double[] direction = new double[HandTracking.PARAMETERS];
        for (int k = 0; k < HandTracking.PARAMETERS; k++) {
            direction[k] = 1;
            double[] column = HandTrackingGrad.vertexResidualsJvp(model, theta, direction).tangent();
            direction[k] = 0;
            for (int row = 0; row < jacobian.length; row++) {
                jacobian[row][k] = column[row];
            }
        }
        return jacobian;
    }

    /** The complicated variant's Jacobian, {@code [3c][28]}: ∂/∂u, ∂/∂v of each row's own point, then θ's. */
    public static double[][] complicatedJacobian(HandTracking model, double[] theta, double[][] us, ThetaMode mode) {
        int rows = 3 * model.correspondenceCount();
        double[][] jacobian = new double[rows][2 + HandTracking.PARAMETERS];
        // θ columns
        if (mode == ThetaMode.VECTOR) {
            double[][] block = HandTrackingGrad.triangleResidualsJacobian(model, theta, us).theta();
            for (int row = 0; row < rows; row++) {
                System.arraycopy(block[row], 0, jacobian[row], 2, HandTracking.PARAMETERS);
            }
        } else {
            double[] direction = new double[HandTracking.PARAMETERS];
            for (int k = 0; k < HandTracking.PARAMETERS; k++) {
                direction[k] = 1;
                double[] column = HandTrackingGrad.triangleResidualsJvp(model, theta, us, direction).tangent();
                direction[k] = 0;
                for (int row = 0; row < rows; row++) {
                    jacobian[row][2 + k] = column[row];
                }
            }
        }
        // u and v columns: seed every u_i (then every v_i) at once; row 3i + j sees only its own u_i and v_i
        double[] noTheta = new double[HandTracking.PARAMETERS];
        for (int which = 0; which < 2; which++) {
            double[][] usDirection = new double[us.length][2];
            for (double[] d : usDirection) {
                d[which] = 1;
            }
            double[] column = HandTrackingGrad.surfaceResidualsJvp(model, theta, us, noTheta, usDirection).tangent();
            for (int row = 0; row < rows; row++) {
                jacobian[row][which] = column[row];
            }
        }
        return jacobian;
    }

    /** Reads and checks an ht input (GradBench's wire shapes: row-major 4×4s, vertex-major positions and weights). */
    static Problem read(JsonNode input) throws BadInput {
        JsonNode in = Input.object(input);
        double[] theta = Input.vectorField(in, "theta", HandTracking.PARAMETERS);
        JsonNode data = Input.field(in, "data");
        JsonNode model = Input.field(data, "model");
        int bones = Input.integerField(model, "bone_count", HandTracking.BONES, HandTracking.BONES);
        JsonNode names = Input.field(model, "bone_names");
        if (!names.isArray() || names.size() != bones) {
            throw new BadInput("input.data.model.bone_names must be an array of " + bones + " names");
        }
        int[] parents = Input.integers(Input.field(model, "parents"), "input.data.model.parents", bones, -1,
                bones - 1);
        for (int b = 0; b < bones; b++) {
            if (parents[b] >= b) {
                throw new BadInput("input.data.model.parents[" + b + "] must name an earlier bone, not "
                        + parents[b]);
            }
        }
        double[][] baseRelatives = transforms(Input.field(model, "base_relatives"), "input.data.model.base_relatives",
                bones);
        double[][] inverseBaseAbsolutes = transforms(Input.field(model, "inverse_base_absolutes"),
                "input.data.model.inverse_base_absolutes", bones);
        double[][] basePositions = Input.matrix(Input.field(model, "base_positions"),
                "input.data.model.base_positions", -1, 4);
        int vertices = basePositions.length;
        double[][] weights = Input.matrix(Input.field(model, "weights"), "input.data.model.weights", vertices,
                bones);
        JsonNode triangleRows = Input.field(model, "triangles");
        if (!triangleRows.isArray()) {
            throw new BadInput("input.data.model.triangles must be an array of triangles");
        }
        int[] triangles = new int[3 * triangleRows.size()];
        for (int t = 0; t < triangleRows.size(); t++) {
            int[] corners = Input.integers(triangleRows.get(t), "input.data.model.triangles[" + t + "]", 3, 0,
                    vertices - 1);
            System.arraycopy(corners, 0, triangles, 3 * t, 3);
        }
        JsonNode mirrored = Input.field(model, "is_mirrored");
        if (!mirrored.isBoolean()) {
            throw new BadInput("input.data.model.is_mirrored must be a boolean");
        }
        JsonNode usNode = Input.field(in, "us");
        if (!usNode.isArray()) {
            throw new BadInput("input.us must be an array ([c][2], or [] for the simple variant)");
        }
        boolean complicated = usNode.isArray() && usNode.size() > 0;
        int[] correspondences = Input.integers(Input.field(data, "correspondences"), "input.data.correspondences",
                -1, 0, complicated ? triangles.length / 3 - 1 : vertices - 1);
        int c = correspondences.length;
        double[][] points = Input.matrix(Input.field(data, "points"), "input.data.points", c, 3);
        double[][] us = complicated ? Input.matrix(usNode, "input.us", c, 2) : null;
        HandTracking hand = new HandTracking(baseRelatives, inverseBaseAbsolutes, parents, basePositions, weights,
                triangles, mirrored.asBoolean(), correspondences, points);
        return new Problem(hand, theta, us);
    }

    /** {@code [bones][4][4]} row-major 4×4 matrices, each flattened row by row to {@code double[16]}. */
    private static double[][] transforms(JsonNode v, String path, int bones) throws BadInput {
        if (!v.isArray() || v.size() != bones) {
            throw new BadInput(path + " must be an array of " + bones + " 4x4 matrices");
        }
        double[][] flat = new double[bones][16];
        for (int b = 0; b < bones; b++) {
            double[][] m = Input.matrix(v.get(b), path + "[" + b + "]", 4, 4);
            for (int r = 0; r < 4; r++) {
                System.arraycopy(m[r], 0, flat[b], 4 * r, 4);
            }
        }
        return flat;
    }
}
