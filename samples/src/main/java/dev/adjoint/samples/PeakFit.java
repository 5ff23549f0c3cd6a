package dev.adjoint.samples;

import java.util.Random;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresBuilder;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresOptimizer.Optimum;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresProblem;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LevenbergMarquardtOptimizer;

/**
 * Fits a {@link GaussianPeak} to noisy data with Hipparchus's Levenberg-Marquardt optimiser, the Jacobian it asks
 * for being the one Adjoint generated from {@link GaussianPeak#residuals} (through {@link PeakJacobianFunction}).
 * Run it from the repository root with {@code mvn -B -q -Pdemo -DskipTests verify} (see the README).
 */
public final class PeakFit {
    /** The parameters the data are drawn from: height, centre, width, background. */
    static final double[] TRUE_P = {2.5, 4.2, 0.8, 0.3};
    /** Where the fit starts: a peak of the wrong height, place and width, and no background. */
    static final double[] START = {1.0, 5.0, 2.0, 0.0};
    /** The standard deviation of the Gaussian noise added to the data. */
    static final double NOISE = 0.05;
    static final int SAMPLES = 101;
    static final long SEED = 2024;
    /** Below this a pivot of JᵀJ counts as singular when Hipparchus inverts it for the covariances. */
    static final double SINGULARITY_THRESHOLD = 1e-14;
    static final String[] NAMES = {"A", "mu", "sigma", "B"};

    private PeakFit() {}

    /**
     * Observations yᵢ at tᵢ.
     *
     * @param t the abscissae
     * @param y the observations
     */
    record Data(double[] t, double[] y) {}

    /**
     * The model at {@code samples} equally spaced points of [0, 10], plus Gaussian noise.
     *
     * @param p the parameters of the peak
     * @param samples how many observations
     * @param noise the standard deviation of the noise
     * @param seed the seed of the noise
     * @return the data
     */
    static Data synthetic(double[] p, int samples, double noise, long seed) {
        Random random = new Random(seed);
        double[] t = new double[samples];
        double[] y = new double[samples];
        for (int i = 0; i < samples; i++) {
            t[i] = 10.0 * i / (samples - 1);
            y[i] = GaussianPeak.model(p, t[i]) + noise * random.nextGaussian();
        }
        return new Data(t, y);
    }

    /**
     * Minimises Σ rᵢ(p)² by Levenberg-Marquardt: the residuals are the model's values and the target is zero.
     *
     * @param data the observations
     * @param start the initial parameters
     * @return Hipparchus's optimum
     */
    static Optimum fit(Data data, double[] start) {
        LeastSquaresProblem problem = new LeastSquaresBuilder()
                .model(new PeakJacobianFunction(data.t(), data.y()))
                .target(new double[data.t().length])
                .start(start)
                .maxEvaluations(1000)
                .maxIterations(1000)
                .build();
        return new LevenbergMarquardtOptimizer().optimize(problem);
    }

    /**
     * The standard errors of the fitted parameters: sqrt of the diagonal of s²(JᵀJ)⁻¹, with s² = Σrᵢ² / (m − n)
     * the residual variance.
     *
     * @param optimum the fit
     * @return one standard error per parameter
     */
    static double[] standardErrors(Optimum optimum) {
        int m = optimum.getResiduals().getDimension();
        int n = optimum.getPoint().getDimension();
        double s = Math.sqrt(optimum.getChiSquare() / (m - n));
        double[] sigma = optimum.getSigma(SINGULARITY_THRESHOLD).toArray();
        for (int j = 0; j < n; j++) {
            sigma[j] *= s;
        }
        return sigma;
    }

    /**
     * ∂r/∂p by central differences, (r(p + h eⱼ) − r(p − h eⱼ)) / 2h column by column, with h = 1e-6·max(1, |pⱼ|),
     * evaluating the original method only.
     *
     * @param p the parameters
     * @param data the observations
     * @return the m×4 estimate
     */
    static double[][] centralDifferences(double[] p, Data data) {
        int m = data.t().length;
        double[][] jacobian = new double[m][p.length];
        for (int j = 0; j < p.length; j++) {
            double h = 1e-6 * Math.max(1, Math.abs(p[j]));
            double[] plus = p.clone();
            double[] minus = p.clone();
            plus[j] += h;
            minus[j] -= h;
            double[] rPlus = GaussianPeak.residuals(plus, data.t(), data.y());
            double[] rMinus = GaussianPeak.residuals(minus, data.t(), data.y());
            for (int i = 0; i < m; i++) {
                jacobian[i][j] = (rPlus[i] - rMinus[i]) / (plus[j] - minus[j]);
            }
        }
        return jacobian;
    }

    /**
     * @param a one matrix
     * @param b another of the same shape
     * @return the largest |aᵢⱼ − bᵢⱼ|
     */
    static double maxDifference(double[][] a, double[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }

    /** @param args unused */
    public static void main(String[] args) {
        Data data = synthetic(TRUE_P, SAMPLES, NOISE, SEED);
        System.out.println();
        System.out.println("Adjoint + Hipparchus: a Gaussian peak on a background, fitted by Levenberg-Marquardt");
        System.out.println("Model: y(t) = A exp(-(t - mu)^2 / (2 sigma^2)) + B");
        System.out.printf("Data: %d samples, t in [0, 10], noise sd %s (seed %d)%n", SAMPLES, NOISE, SEED);

        double[][] generated = GaussianPeakGrad.residualsJacobian(START, data.t(), data.y()).p();
        double[][] central = centralDifferences(START, data);
        System.out.println();
        System.out.printf("Jacobian dr/dp at the start, %d x %d: largest |generated - central difference| %.1e%n",
                generated.length, generated[0].length, maxDifference(generated, central));

        Optimum optimum = fit(data, START);
        double[] fitted = optimum.getPoint().toArray();
        double[] errors = standardErrors(optimum);
        System.out.println();
        System.out.println("           start     fitted   std. error       true");
        for (int j = 0; j < fitted.length; j++) {
            System.out.printf("  %-5s  %7.3f  %9.5f  %11.5f  %9.4f%n", NAMES[j], START[j], fitted[j], errors[j],
                    TRUE_P[j]);
        }
        System.out.println();
        System.out.printf("Evaluations: %d, iterations: %d; RMS residual %.4f (noise sd %s)%n",
                optimum.getEvaluations(), optimum.getIterations(), optimum.getRMS(), NOISE);
        System.out.println();
        System.out.println("The Jacobian code Adjoint generated is plain Java; read it at");
        System.out.println("  samples/target/generated-sources/annotations/dev/adjoint/samples/GaussianPeakGrad.java");
    }
}
