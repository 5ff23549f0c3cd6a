package dev.adjoint.gradbench.ba;

import dev.adjoint.Differentiable;

/**
 * GradBench's {@code ba} (bundle adjustment, from ADBench): per observation, the reprojection residual of one point
 * seen by one camera and the weight residual. Both residual functions are {@code @Differentiable}; their generated
 * Jacobians ({@link BaGrad#reprojectionJacobian}, {@link BaGrad#weightResidualJacobian}) are the blocks of the
 * problem's sparse Jacobian, which {@link BaJacobian} assembles.
 */
public final class Ba {
    private Ba() {
    }

    /** Camera parameters per camera. */
    public static final int CAMERA_PARAMETERS = 11;

    /**
     * The reprojection residual of one observation, w·(π(cam, x) − feat), its two image coordinates. {@code cam} is
     * [r1 r2 r3 (angle-axis rotation), C1 C2 C3 (centre), f (focal length), u0 v0 (principal point), k1 k2 (radial
     * distortion)]; π moves x to the camera's frame (rotating x − C by Rodrigues' formula), divides by depth,
     * distorts radially by 1 + k1 r² + k2 r⁴, scales by f and shifts by (u0, v0).
     *
     * @param cam  the camera, 11 parameters
     * @param x    the point, 3 coordinates
     * @param w    the observation's weight
     * @param feat the observed feature, 2 image coordinates
     */
    @Differentiable(wrt = {"cam", "x", "w"})
    public static double[] reprojection(double[] cam, double[] x, double w, double[] feat) {
        // the point relative to the camera's centre
        double[] p = new double[3];
        for (int i = 0; i < 3; i++) {
            p[i] = x[i] - cam[3 + i];
        }

        // rotated into the camera's frame
        double[] rotated = new double[3];
        double sqTheta = cam[0] * cam[0] + cam[1] * cam[1] + cam[2] * cam[2];
        if (sqTheta != 0) {
            // Rodrigues: p cos θ + (a × p) sin θ + a (a·p)(1 − cos θ), a the unit axis
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
            // no rotation: the first-order form p + r × p, which keeps the derivative in r at r = 0
            rotated[0] = p[0] + cam[1] * p[2] - cam[2] * p[1];
            rotated[1] = p[1] + cam[2] * p[0] - cam[0] * p[2];
            rotated[2] = p[2] + cam[0] * p[1] - cam[1] * p[0];
        }

        // perspective division, radial distortion, focal length and principal point
        double u = rotated[0] / rotated[2];
        double v = rotated[1] / rotated[2];
        double rsq = u * u + v * v;
        double distortion = 1 + cam[9] * rsq + cam[10] * rsq * rsq;
        return new double[] {
            w * (u * distortion * cam[6] + cam[7] - feat[0]),
            w * (v * distortion * cam[6] + cam[8] - feat[1])};
    }

    /** The weight residual of one observation, 1 − w² (one output, so that its Jacobian is a 1×1 block). */
    @Differentiable
    public static double[] weightResidual(double w) {
        return new double[] {1 - w * w};
    }
}
