package dev.adjoint.gradbench.ba;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adjoint.gradbench.BadInput;
import dev.adjoint.gradbench.Eval;
import dev.adjoint.gradbench.Input;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Module {@code ba}. The input's one camera, point, weight and feature are replicated into a {@link BaProblem}
 * (outside the timed region); {@code objective} computes every residual and answers GradBench's compressed form
 * (the first observation's residuals and the count); {@code jacobian} assembles the whole sparse Jacobian
 * ({@link BaJacobian}) and answers the first 30 and the last entry of each of its CSR arrays.
 */
public final class BaEval extends Eval {

    public BaEval() {
        super("ba", "objective", "jacobian");
    }
    /** How many leading entries of each CSR array the compressed Jacobian keeps (two reprojection rows' worth). */
    static final int KEPT = 2 * BaJacobian.REPROJECTION_ROW;

    @Override
    public Call prepare(String function, JsonNode input) throws BadInput {
        Input.object(input);
        int n = Input.integerField(input, "n", 1, Integer.MAX_VALUE);
        int m = Input.integerField(input, "m", 1, Integer.MAX_VALUE);
        int p = Input.integerField(input, "p", 1, (Integer.MAX_VALUE - 1) / (2 * BaJacobian.REPROJECTION_ROW + 1));
        double[] cam = Input.vectorField(input, "cam", Ba.CAMERA_PARAMETERS);
        double[] x = Input.vectorField(input, "x", 3);
        double w = Input.numberField(input, "w");
        double[] feat = Input.vectorField(input, "feat", 2);
        BaProblem problem = BaProblem.replicated(n, m, p, cam, x, w, feat);
        if (function.equals("objective")) {
            double[] weightResiduals = new double[p];
            return () -> {
                double[][] reprojection = BaJacobian.residuals(problem, weightResiduals);
                return compressedResiduals(reprojection, weightResiduals);
            };
        }
        BaJacobian jacobian = new BaJacobian(problem);
        return () -> compressed(jacobian.compute(problem));
    }

    /** GradBench's compressed residuals: the first observation's, each with the number of observations. */
    static Map<String, Object> compressedResiduals(double[][] reprojection, double[] weightResiduals) {
        Map<String, Object> reproj = new LinkedHashMap<>();
        reproj.put("elements", reprojection[0].clone());
        reproj.put("repeated", reprojection.length);
        Map<String, Object> weight = new LinkedHashMap<>();
        weight.put("element", weightResiduals[0]);
        weight.put("repeated", weightResiduals.length);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reproj_error", reproj);
        out.put("w_err", weight);
        return out;
    }

    /** GradBench's compressed Jacobian: the first {@link #KEPT} entries and the last of rows, cols and vals. */
    static Map<String, Object> compressed(BaJacobian j) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rows", headAndLast(j.rows));
        out.put("cols", headAndLast(j.cols));
        out.put("vals", headAndLast(j.vals));
        return out;
    }

    private static int[] headAndLast(int[] a) {
        int[] out = new int[KEPT + 1];
        System.arraycopy(a, 0, out, 0, KEPT);
        out[KEPT] = a[a.length - 1];
        return out;
    }

    private static double[] headAndLast(double[] a) {
        double[] out = new double[KEPT + 1];
        System.arraycopy(a, 0, out, 0, KEPT);
        out[KEPT] = a[a.length - 1];
        return out;
    }
}
