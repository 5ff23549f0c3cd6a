package dev.adjoint.gradbench.ba;

/**
 * The residuals of a {@link BaProblem} and their sparse Jacobian in compressed sparse row form, assembled from the
 * generated Jacobians of {@link Ba#reprojection} and {@link Ba#weightResidual}.
 *
 * <p>The residual vector has 3p entries: the two reprojection residuals of each observation in turn (rows 2i and
 * 2i+1), then the p weight residuals (row 2p+i). The parameter vector has 11n + 3m + p entries: the cameras, the
 * points, then the weights. A reprojection row has 15 non-zeros, in column order: its camera's 11 columns, its
 * point's 3, its weight's 1; a weight row has 1. So {@code rows} has 3p + 1 entries and {@code cols} and
 * {@code vals} 31p.
 */
public final class BaJacobian {
    /** Non-zeros in one reprojection row: the camera's, the point's and the weight's. */
    public static final int REPROJECTION_ROW = Ba.CAMERA_PARAMETERS + 3 + 1;

    /** Row pointers: row r's entries are {@code cols[rows[r]..rows[r+1]-1]}, with their values in {@code vals}. */
    public final int[] rows;
    /** The column of each non-zero. */
    public final int[] cols;
    /** The value of each non-zero. */
    public final double[] vals;

    private final BaGrad.ReprojectionJacobian block = new BaGrad.ReprojectionJacobian();
    private final BaGrad.WeightResidualJacobian weightBlock = new BaGrad.WeightResidualJacobian();

    /** Room for the Jacobian of {@code problem} (its structure is filled in by {@link #compute}). */
    public BaJacobian(BaProblem problem) {
        int p = problem.p();
        rows = new int[3 * p + 1];
        cols = new int[(2 * REPROJECTION_ROW + 1) * p];
        vals = new double[cols.length];
    }

    /** The residuals of every observation: reprojection residuals {@code [p][2]}, then the weight residuals. */
    public static double[][] residuals(BaProblem problem, double[] weightResiduals) {
        int p = problem.p();
        double[][] reprojection = new double[p][];
        for (int i = 0; i < p; i++) {
            reprojection[i] = Ba.reprojection(problem.cams()[problem.camera()[i]], problem.points()[problem.point()[i]],
                    problem.weights()[i], problem.feats()[i]);
            weightResiduals[i] = Ba.weightResidual(problem.weights()[i])[0];
        }
        return reprojection;
    }

    /** Fills {@link #rows}, {@link #cols} and {@link #vals} with the Jacobian of {@code problem}'s residuals. */
    public BaJacobian compute(BaProblem problem) {
        int n = problem.n();
        int m = problem.m();
        int p = problem.p();
        int pointColumns = Ba.CAMERA_PARAMETERS * n;
        int weightColumns = pointColumns + 3 * m;
        int at = 0;
        rows[0] = 0;
        for (int i = 0; i < p; i++) {
            int cam = problem.camera()[i];
            int pt = problem.point()[i];
            // the 2×15 block [∂cam | ∂x | ∂w] of observation i, from the generated Jacobian
            BaGrad.reprojectionJacobian(problem.cams()[cam], problem.points()[pt], problem.weights()[i],
                    problem.feats()[i], block);
            double[][] dCam = block.cam();
            double[][] dX = block.x();
            double[] dW = block.w();
            for (int r = 0; r < 2; r++) {
                for (int j = 0; j < Ba.CAMERA_PARAMETERS; j++) {
                    cols[at] = Ba.CAMERA_PARAMETERS * cam + j;
                    vals[at++] = dCam[r][j];
                }
                for (int j = 0; j < 3; j++) {
                    cols[at] = pointColumns + 3 * pt + j;
                    vals[at++] = dX[r][j];
                }
                cols[at] = weightColumns + i;
                vals[at++] = dW[r];
                rows[2 * i + r + 1] = at;
            }
        }
        for (int i = 0; i < p; i++) {
            // the 1×1 block ∂(1 − w²)/∂w of observation i
            BaGrad.weightResidualJacobian(problem.weights()[i], weightBlock);
            cols[at] = weightColumns + i;
            vals[at++] = weightBlock.w()[0];
            rows[2 * p + i + 1] = at;
        }
        return this;
    }
}
