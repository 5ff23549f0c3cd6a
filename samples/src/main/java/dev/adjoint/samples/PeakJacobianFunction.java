package dev.adjoint.samples;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.hipparchus.optim.nonlinear.vector.leastsquares.MultivariateJacobianFunction;
import org.hipparchus.util.Pair;

/**
 * The adapter from Adjoint's generated Jacobian to Hipparchus: the value is {@link GaussianPeak#residuals} and the
 * Jacobian is the {@code double[m][4]} block of {@code GaussianPeakGrad.residualsJacobian}, one row per observation
 * (numerator layout, which is what Hipparchus expects).
 *
 * <p>One generated result object is reused for every evaluation, so the generated code allocates nothing after the
 * first call. Hipparchus, though, keeps the evaluations it is given: after a rejected step Levenberg-Marquardt goes
 * back to the previous evaluation, and may return it as the optimum, whose Jacobian gives the covariances. The
 * vector and matrix handed to it are therefore copies of the reused arrays, not views of them.
 */
public final class PeakJacobianFunction implements MultivariateJacobianFunction {
    private final double[] t;
    private final double[] y;
    private final GaussianPeakGrad.ResidualsJacobian result = new GaussianPeakGrad.ResidualsJacobian();

    /**
     * @param t the abscissae
     * @param y the observations
     */
    public PeakJacobianFunction(double[] t, double[] y) {
        this.t = t;
        this.y = y;
    }

    @Override
    public Pair<RealVector, RealMatrix> value(RealVector point) {
        GaussianPeakGrad.residualsJacobian(point.toArray(), t, y, result); // overwrites result in place
        return new Pair<>(new ArrayRealVector(result.value()), new Array2DRowRealMatrix(result.p()));
    }
}
