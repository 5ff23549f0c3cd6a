package dev.adjoint.gradbench.ba;

/**
 * A bundle adjustment problem as GradBench describes it: n cameras, m points and p observations, each observation i
 * pairing camera i mod n with point i mod m, with its own weight and feature. GradBench sends one camera, point,
 * weight and feature; {@link #replicated} copies them to every camera, point and observation.
 *
 * @param cams    n cameras of 11 parameters
 * @param points  m points of 3 coordinates
 * @param weights p weights
 * @param feats   p features of 2 coordinates
 * @param camera  p camera indices, one per observation
 * @param point   p point indices, one per observation
 */
public record BaProblem(double[][] cams, double[][] points, double[] weights, double[][] feats, int[] camera,
        int[] point) {

    /** The problem GradBench's input stands for: every camera {@code cam}, every point {@code x}, and so on. */
    public static BaProblem replicated(int n, int m, int p, double[] cam, double[] x, double w, double[] feat) {
        double[][] cams = new double[n][];
        for (int j = 0; j < n; j++) {
            cams[j] = cam.clone();
        }
        double[][] points = new double[m][];
        for (int j = 0; j < m; j++) {
            points[j] = x.clone();
        }
        double[] weights = new double[p];
        double[][] feats = new double[p][];
        int[] camera = new int[p];
        int[] point = new int[p];
        for (int i = 0; i < p; i++) {
            weights[i] = w;
            feats[i] = feat.clone();
            camera[i] = i % n;
            point[i] = i % m;
        }
        return new BaProblem(cams, points, weights, feats, camera, point);
    }

    /** The number of cameras. */
    public int n() {
        return cams.length;
    }

    /** The number of points. */
    public int m() {
        return points.length;
    }

    /** The number of observations. */
    public int p() {
        return weights.length;
    }
}
