package dev.adjoint.gradbench.ht;

import dev.adjoint.Differentiable;

/**
 * GradBench's hand-tracking objective (ADBench's "ht"): a skinned hand mesh posed by 26 parameters θ, compared with
 * observed 3-D points.
 *
 * <p>θ holds the global rotation (angle-axis, θ[0..2]), the global translation (θ[3..5]) and 20 finger angles,
 * four per finger: the first joint of a finger bends about two axes, the two others about one. The model point of a
 * vertex is computed by
 * <ol>
 *   <li>posing each bone: its base transform relative to its parent, times the rotation of its joint angles;</li>
 *   <li>chaining the posed relative transforms from the root to each bone (a bone's parent comes before it), and
 *       multiplying each absolute transform by the bone's inverse base absolute transform;</li>
 *   <li>linear-blend skinning: the weighted sum, over the bones, of each bone's transform applied to the vertex's
 *       base position (homogeneous);</li>
 *   <li>mirroring x when the model is mirrored, then the global rotation and translation.</li>
 * </ol>
 * The residuals are observed point minus model point, three per correspondence. In the <em>simple</em> variant a
 * correspondence names a vertex; in the <em>complicated</em> one it names a triangle, and the model point is the
 * barycentric combination u·p0 + v·p1 + (1 − u − v)·p2 of its three vertices' points.
 *
 * <p>Only the vertices that some correspondence uses are skinned (GradBench's reference skins the whole mesh; the
 * residuals are the same). 4×4 transforms are {@code double[16]} and 3×3 rotations {@code double[9]}, both
 * row-major: entry (r, c) at {@code 4 * r + c} (or {@code 3 * r + c}).
 *
 * <p>The derivatives are Adjoint's generated {@code HandTrackingGrad}: the θ Jacobian of {@link #vertexResiduals}
 * and {@link #triangleResiduals}, and JVPs of {@link #surfaceResiduals} for the u and v columns.
 */
public final class HandTracking {
    /** The number of bones of GradBench's hand model. */
    public static final int BONES = 22;
    /** The number of pose parameters. */
    public static final int PARAMETERS = 26;

    /** Per bone, its base transform relative to its parent ({@code [BONES][16]}, row-major 4×4). */
    final double[][] baseRelatives;
    /** Per bone, the inverse of its base absolute transform ({@code [BONES][16]}, row-major 4×4). */
    final double[][] inverseBaseAbsolutes;
    /** Per bone, its parent's index (earlier in the order), or −1 for the root. */
    final int[] parents;
    /** Per vertex, its base position in homogeneous coordinates ({@code [V][4]}). */
    final double[][] basePositions;
    /** Per vertex, its skinning weight for each bone ({@code [V][BONES]}). */
    final double[][] weights;
    /** The mesh's triangles, three vertex indices each, flattened ({@code [3T]}). */
    final int[] triangles;
    /** Whether the model is mirrored (x negated before the global transform). */
    final boolean mirrored;
    /** Per correspondence, the vertex (simple variant) or triangle (complicated variant) it names. */
    final int[] correspondences;
    /** Per correspondence, the observed point ({@code [c][3]}). */
    final double[][] points;

    /** A model with its observations; the arrays are used as they are, not copied. */
    public HandTracking(double[][] baseRelatives, double[][] inverseBaseAbsolutes, int[] parents,
            double[][] basePositions, double[][] weights, int[] triangles, boolean mirrored, int[] correspondences,
            double[][] points) {
        this.baseRelatives = baseRelatives;
        this.inverseBaseAbsolutes = inverseBaseAbsolutes;
        this.parents = parents;
        this.basePositions = basePositions;
        this.weights = weights;
        this.triangles = triangles;
        this.mirrored = mirrored;
        this.correspondences = correspondences;
        this.points = points;
    }

    /** The number of correspondences. */
    public int correspondenceCount() {
        return correspondences.length;
    }

    /**
     * The simple variant's residuals: correspondence i names vertex {@code correspondences[i]}.
     *
     * @param theta the 26 pose parameters
     * @return {@code [3c]}: observed minus model point, x, y, z per correspondence
     */
    @Differentiable(wrt = {"theta"})
    public double[] vertexResiduals(double[] theta) {
        double[][] transforms = boneTransforms(theta, baseRelatives, inverseBaseAbsolutes, parents);
        double[] rotation = angleAxisToRotation(theta[0], theta[1], theta[2]);
        double[] residuals = new double[3 * correspondences.length];
        for (int i = 0; i < correspondences.length; i++) {
            int vertex = correspondences[i];
            double[] p = modelPoint(theta, rotation, transforms, basePositions[vertex], weights[vertex], mirrored);
            for (int j = 0; j < 3; j++) {
                residuals[3 * i + j] = points[i][j] - p[j];
            }
        }
        return residuals;
    }

    /**
     * The complicated variant's residuals, differentiated with respect to θ only (its θ Jacobian).
     *
     * @param theta the 26 pose parameters
     * @param us    per correspondence, the barycentric weights (u, v) of its triangle's first two vertices
     * @return {@code [3c]}: observed minus model point, x, y, z per correspondence
     */
    @Differentiable(wrt = {"theta"})
    public double[] triangleResiduals(double[] theta, double[][] us) {
        return onTriangles(theta, us, baseRelatives, inverseBaseAbsolutes, parents, basePositions, weights,
                triangles, mirrored, correspondences, points);
    }

    /**
     * The complicated variant's residuals, differentiated with respect to θ and the barycentric weights (their JVPs
     * give the u and v columns).
     *
     * @param theta the 26 pose parameters
     * @param us    per correspondence, the barycentric weights (u, v) of its triangle's first two vertices
     * @return {@code [3c]}: observed minus model point, x, y, z per correspondence
     */
    @Differentiable
    public double[] surfaceResiduals(double[] theta, double[][] us) {
        return onTriangles(theta, us, baseRelatives, inverseBaseAbsolutes, parents, basePositions, weights,
                triangles, mirrored, correspondences, points);
    }

    /** The complicated variant's residuals, given the model's arrays. */
    static double[] onTriangles(double[] theta, double[][] us, double[][] baseRelatives,
            double[][] inverseBaseAbsolutes, int[] parents, double[][] basePositions, double[][] weights,
            int[] triangles, boolean mirrored, int[] correspondences, double[][] points) {
        double[][] transforms = boneTransforms(theta, baseRelatives, inverseBaseAbsolutes, parents);
        double[] rotation = angleAxisToRotation(theta[0], theta[1], theta[2]);
        double[] residuals = new double[3 * correspondences.length];
        for (int i = 0; i < correspondences.length; i++) {
            // the model point: u·p0 + v·p1 + (1 − u − v)·p2 over the corners of the named triangle
            int triangle = correspondences[i];
            double u = us[i][0];
            double v = us[i][1];
            double[] point = new double[3];
            for (int corner = 0; corner < 3; corner++) {
                int vertex = triangles[3 * triangle + corner];
                double weight = corner == 0 ? u : corner == 1 ? v : 1 - u - v;
                double[] p = modelPoint(theta, rotation, transforms, basePositions[vertex], weights[vertex],
                        mirrored);
                for (int j = 0; j < 3; j++) {
                    point[j] += weight * p[j];
                }
            }
            for (int j = 0; j < 3; j++) {
                residuals[3 * i + j] = points[i][j] - point[j];
            }
        }
        return residuals;
    }

    /**
     * Per bone, the transform that skinning applies to base positions: the posed absolute transform times the
     * inverse base absolute transform ({@code [BONES][16]}).
     */
    static double[][] boneTransforms(double[] theta, double[][] baseRelatives, double[][] inverseBaseAbsolutes,
            int[] parents) {
        double[][] angles = jointAngles(theta);
        double[][] absolutes = new double[BONES][];
        double[][] transforms = new double[BONES][];
        for (int b = 0; b < BONES; b++) {
            // the posed relative transform: base relative times the joint's rotation (x, then z, about the bone)
            double[] rotation = multiply3(rotationZ(angles[b][1]), rotationX(angles[b][0]));
            double[] relative = multiply4(baseRelatives[b], homogeneous(rotation));
            absolutes[b] = parents[b] < 0 ? relative : multiply4(absolutes[parents[b]], relative);
            transforms[b] = multiply4(absolutes[b], inverseBaseAbsolutes[b]);
        }
        return transforms;
    }

    /**
     * Per bone, its joint angles (about x, about z) from θ; zero for the bones θ does not pose (the wrist, the
     * forearm and each finger's first bone). Finger f's bones are 4f + 1 .. 4f + 4; bone 4f + 2 takes two angles,
     * bones 4f + 3 and 4f + 4 one each, in θ's order from θ[6].
     */
    static double[][] jointAngles(double[] theta) {
        double[][] angles = new double[BONES][2];
        int next = 6;
        for (int finger = 0; finger < 5; finger++) {
            for (int joint = 2; joint <= 4; joint++) {
                int bone = 4 * finger + joint;
                angles[bone][0] = theta[next];
                next++;
                if (joint == 2) {
                    angles[bone][1] = theta[next];
                    next++;
                }
            }
        }
        return angles;
    }

    /**
     * The model point of one vertex: skinned by the bones' transforms, mirrored if the model is, then rotated by
     * the global rotation and moved by the global translation θ[3..5].
     */
    static double[] modelPoint(double[] theta, double[] rotation, double[][] transforms, double[] basePosition,
            double[] weights, boolean mirrored) {
        double[] skinned = new double[3];
        for (int b = 0; b < BONES; b++) {
            if (weights[b] != 0) {
                double[] t = transforms[b];
                for (int r = 0; r < 3; r++) {
                    double moved = t[4 * r] * basePosition[0] + t[4 * r + 1] * basePosition[1]
                            + t[4 * r + 2] * basePosition[2] + t[4 * r + 3] * basePosition[3];
                    skinned[r] += weights[b] * moved;
                }
            }
        }
        if (mirrored) {
            skinned[0] = -skinned[0];
        }
        double[] p = new double[3];
        for (int r = 0; r < 3; r++) {
            p[r] = rotation[3 * r] * skinned[0] + rotation[3 * r + 1] * skinned[1] + rotation[3 * r + 2] * skinned[2]
                    + theta[3 + r];
        }
        return p;
    }

    /**
     * The rotation by the angle-axis vector (x, y, z): by |(x, y, z)| about its direction (Rodrigues' formula); the
     * identity below a norm of 1e-4, as GradBench's definition has it. The test is on the squared norm so that the
     * square root (whose derivative is infinite at 0) is only taken where it is at least 1e-4.
     */
    static double[] angleAxisToRotation(double x, double y, double z) {
        double squaredNorm = x * x + y * y + z * z;
        double[] r = new double[9];
        if (squaredNorm < 1e-8) {
            r[0] = 1;
            r[4] = 1;
            r[8] = 1;
        } else {
            double norm = Math.sqrt(squaredNorm);
            double ax = x / norm;
            double ay = y / norm;
            double az = z / norm;
            double s = Math.sin(norm);
            double c = Math.cos(norm);
            r[0] = ax * ax + (1 - ax * ax) * c;
            r[1] = ax * ay * (1 - c) - az * s;
            r[2] = ax * az * (1 - c) + ay * s;
            r[3] = ax * ay * (1 - c) + az * s;
            r[4] = ay * ay + (1 - ay * ay) * c;
            r[5] = ay * az * (1 - c) - ax * s;
            r[6] = ax * az * (1 - c) - ay * s;
            r[7] = ay * az * (1 - c) + ax * s;
            r[8] = az * az + (1 - az * az) * c;
        }
        return r;
    }

    /** The rotation by {@code angle} about the x axis. */
    static double[] rotationX(double angle) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        return new double[] {1, 0, 0, 0, c, -s, 0, s, c};
    }

    /** The rotation by {@code angle} about the z axis. */
    static double[] rotationZ(double angle) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        return new double[] {c, -s, 0, s, c, 0, 0, 0, 1};
    }

    /** The 4×4 transform with the 3×3 block {@code rotation} and no translation. */
    static double[] homogeneous(double[] rotation) {
        double[] m = new double[16];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                m[4 * r + c] = rotation[3 * r + c];
            }
        }
        m[15] = 1;
        return m;
    }

    /** The product a·b of two row-major 3×3 matrices. */
    static double[] multiply3(double[] a, double[] b) {
        double[] m = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                m[3 * r + c] = a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c];
            }
        }
        return m;
    }

    /** The product a·b of two row-major 4×4 matrices. */
    static double[] multiply4(double[] a, double[] b) {
        double[] m = new double[16];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                double sum = 0;
                for (int k = 0; k < 4; k++) {
                    sum += a[4 * r + k] * b[4 * k + c];
                }
                m[4 * r + c] = sum;
            }
        }
        return m;
    }
}
