package dev.adjoint.samples;

import dev.adjoint.Differentiable;

/**
 * A Gaussian peak on a flat background, y(t) = A·exp(−(t − μ)² / (2σ²)) + B: the line shape fitted to a spectral
 * line or a chromatography peak. The parameters are p = [A, μ, σ, B] (height, centre, width, background).
 *
 * <p>The processor reads {@link #residuals} at compile time and writes {@code GaussianPeakGrad}, whose
 * {@code GaussianPeakGrad.residualsJacobian(p, t, y, out)} returns the residuals and their Jacobian ∂r/∂p, one row
 * per observation, as the least-squares fit in {@link PeakFit} needs.
 */
public final class GaussianPeak {
    private GaussianPeak() {}

    /**
     * The residuals of the model against the data, rᵢ = A·exp(−(tᵢ − μ)² / (2σ²)) + B − yᵢ.
     *
     * @param p the parameters [A, μ, σ, B]
     * @param t the abscissae, one per observation
     * @param y the observations
     * @return the residuals, one per observation
     */
    @Differentiable(wrt = "p")
    public static double[] residuals(double[] p, double[] t, double[] y) {
        double[] r = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            double z = (t[i] - p[1]) / p[2];
            r[i] = p[0] * Math.exp(-0.5 * z * z) + p[3] - y[i];
        }
        return r;
    }

    /**
     * The model at one abscissa (the data are drawn from it).
     *
     * @param p the parameters [A, μ, σ, B]
     * @param t the abscissa
     * @return y(t)
     */
    public static double model(double[] p, double t) {
        double z = (t - p[1]) / p[2];
        return p[0] * Math.exp(-0.5 * z * z) + p[3];
    }
}
