package dev.adjoint.processor;

import static dev.adjoint.processor.GradientTesting.checkFd;
import static dev.adjoint.processor.GradientTesting.grad;
import static dev.adjoint.testing.GradientCheck.assertClose;

import dev.adjoint.testing.Grad;
import dev.adjoint.testing.RandomPoints;
import org.junit.jupiter.api.Test;

/** Numeric code written the way people write it, against finite differences (and closed forms where easy). */
class RealisticProgramsTest {

    @Test
    void dotProduct() {
        Grad g = grad("""
                package real;

                import dev.adjoint.Differentiable;

                final class Vectors {
                    private Vectors() {}

                    @Differentiable
                    public static double dot(double[] a, double[] b) {
                        double sum = 0.0;
                        for (int i = 0; i < a.length; i++) {
                            sum += a[i] * b[i];
                        }
                        return sum;
                    }
                }
                """, "dot");
        double[] a = {1, 2, 3};
        double[] b = {4, -5, 6};
        Grad.Result r = g.grad(a, b);
        assertClose("∂/∂a = b", b, r.vector("a"), 0);
        assertClose("∂/∂b = a", a, r.vector("b"), 0);
        checkFd(g, p -> new Object[] {p.vector(5, -2, 2), p.vector(5, -2, 2)});
    }

    @Test
    void softmaxCrossEntropy() {
        Grad g = grad("""
                package real;

                import dev.adjoint.Differentiable;

                class Softmax {
                    /** −log softmax(logits)[label], with the usual max shift for stability. */
                    @Differentiable
                    static double crossEntropy(double[] logits, int label) {
                        double max = Double.NEGATIVE_INFINITY;
                        for (double l : logits) {
                            max = Math.max(max, l);
                        }
                        double sum = 0;
                        for (int i = 0; i < logits.length; i++) {
                            sum += Math.exp(logits[i] - max);
                        }
                        double logSumExp = max + Math.log(sum);
                        return logSumExp - logits[label];
                    }
                }
                """, "crossEntropy");
        // ∂/∂logits = softmax(logits) − onehot(label)
        double[] logits = {1.0, -0.5, 2.0, 0.25};
        double z = 0;
        for (double l : logits) {
            z += Math.exp(l);
        }
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            expected[i] = Math.exp(logits[i]) / z - (i == 2 ? 1 : 0);
        }
        assertClose("softmax − onehot", expected, g.grad(logits, 2).vector("logits"), 1e-12);
        checkFd(g, p -> new Object[] {p.vector(6, -3, 3), p.integer(0, 5)});
    }

    @Test
    void hornerPolynomial() {
        Grad g = grad("""
                package real;

                import dev.adjoint.Differentiable;

                class Polynomial {
                    /** c[0] + c[1] x + ... + c[n-1] x^(n-1), by Horner's rule. */
                    @Differentiable
                    static double horner(double[] c, double x) {
                        double y = 0;
                        for (int i = c.length - 1; i >= 0; i--) {
                            y = y * x + c[i];
                        }
                        return y;
                    }
                }
                """, "horner");
        double[] c = {1, -2, 0.5, 3};
        double x = 1.5;
        Grad.Result r = g.grad(c, x);
        assertClose("p'(x)", -2 + 2 * 0.5 * x + 3 * 3 * x * x, r.scalar("x"), 1e-12);
        assertClose("∂p/∂c = powers of x", new double[] {1, x, x * x, x * x * x}, r.vector("c"), 1e-12);
        checkFd(g, p -> new Object[] {p.vector(6, -2, 2), p.uniform(-1.5, 1.5)});
    }

    @Test
    void logisticRegressionLoss() {
        checkFd("""
                package real;

                import dev.adjoint.Differentiable;

                class Logistic {
                    static final double LAMBDA = 0.01;

                    /** Mean negative log-likelihood with L2 regularisation; labels are 0 or 1. */
                    @Differentiable(wrt = {"w", "b"})
                    static double loss(double[] w, double b, double[][] xs, int[] labels) {
                        double total = 0;
                        for (int i = 0; i < xs.length; i++) {
                            double z = b;
                            for (int j = 0; j < w.length; j++) {
                                z += w[j] * xs[i][j];
                            }
                            // log(1 + e^−z) and log(1 + e^z), computed stably
                            double lossPositive = z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
                            total += labels[i] == 1 ? lossPositive : lossPositive + z;
                        }
                        double reg = 0;
                        for (double wj : w) {
                            reg += wj * wj;
                        }
                        return total / xs.length + LAMBDA * reg;
                    }
                }
                """, "loss", p -> new Object[] {p.vector(3, -1, 1), p.uniform(-0.5, 0.5), p.matrix(10, 3, -2, 2),
                    p.integers(10, 0, 1)});
    }

    @Test
    void rungeKutta4Integrator() {
        checkFd("""
                package real;

                import dev.adjoint.Differentiable;

                class Oscillator {
                    /** Position of a damped, driven oscillator x'' = −k x − c x' + sin(t) after {@code steps} RK4 steps. */
                    @Differentiable(wrt = {"k", "c", "x0"})
                    static double simulate(double k, double c, double x0, double dt, int steps) {
                        double x = x0;
                        double v = 0;
                        double t = 0;
                        for (int s = 0; s < steps; s++) {
                            double k1x = v;
                            double k1v = -k * x - c * v + Math.sin(t);
                            double k2x = v + 0.5 * dt * k1v;
                            double k2v = -k * (x + 0.5 * dt * k1x) - c * k2x + Math.sin(t + 0.5 * dt);
                            double k3x = v + 0.5 * dt * k2v;
                            double k3v = -k * (x + 0.5 * dt * k2x) - c * k3x + Math.sin(t + 0.5 * dt);
                            double k4x = v + dt * k3v;
                            double k4v = -k * (x + dt * k3x) - c * k4x + Math.sin(t + dt);
                            x += dt / 6 * (k1x + 2 * k2x + 2 * k3x + k4x);
                            v += dt / 6 * (k1v + 2 * k2v + 2 * k3v + k4v);
                            t += dt;
                        }
                        return x;
                    }
                }
                """, "simulate", p -> new Object[] {p.uniform(0.5, 3), p.uniform(0, 0.5), p.uniform(-1, 1), 0.05,
                    p.integer(10, 60)});
    }

    @Test
    void eulerIntegratorWithStateArrays() {
        checkFd("""
                package real;

                import dev.adjoint.Differentiable;

                class Populations {
                    /** Lotka–Volterra by explicit Euler, state kept in an array updated in place. */
                    @Differentiable
                    static double preyAtEnd(double[] rates, double[] initial) {
                        double[] state = new double[2];
                        state[0] = initial[0];
                        state[1] = initial[1];
                        double dt = 0.01;
                        for (int step = 0; step < 200; step++) {
                            double prey = state[0];
                            double predators = state[1];
                            state[0] += dt * (rates[0] * prey - rates[1] * prey * predators);
                            state[1] += dt * (rates[2] * prey * predators - rates[3] * predators);
                        }
                        return state[0];
                    }
                }
                """, "preyAtEnd", p -> new Object[] {new double[] {p.uniform(0.8, 1.2), p.uniform(0.3, 0.6),
                    p.uniform(0.2, 0.5), p.uniform(0.8, 1.2)}, p.vector(2, 0.5, 2)});
    }

    @Test
    void blackScholesLikeFormula() {
        // The CDF is inlined (Abramowitz–Stegun 26.2.17), as people do when there is no library at hand.
        Grad g = grad("""
                package real;

                import dev.adjoint.Differentiable;

                class BlackScholes {
                    @Differentiable(wrt = {"spot", "vol", "rate", "time"})
                    static double call(double spot, double strike, double vol, double rate, double time) {
                        double sqrtT = Math.sqrt(time);
                        double d1 = (Math.log(spot / strike) + (rate + 0.5 * vol * vol) * time) / (vol * sqrtT);
                        double d2 = d1 - vol * sqrtT;
                        double[] d = {d1, d2};
                        double[] n = new double[2];
                        for (int i = 0; i < 2; i++) {
                            double z = d[i];
                            double az = Math.abs(z);
                            double t = 1 / (1 + 0.2316419 * az);
                            double poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937
                                    + t * (-1.821255978 + t * 1.330274429))));
                            double upper = Math.exp(-0.5 * az * az) / Math.sqrt(2 * Math.PI) * poly;
                            n[i] = z >= 0 ? 1 - upper : upper;
                        }
                        return spot * n[0] - strike * Math.exp(-rate * time) * n[1];
                    }
                }
                """, "call");
        // Delta ≈ N(d1) (the approximation's derivative differs from the exact one by ~1e-7).
        double spot = 105;
        double strike = 100;
        double vol = 0.2;
        double rate = 0.03;
        double time = 0.75;
        double d1 = (Math.log(spot / strike) + (rate + 0.5 * vol * vol) * time) / (vol * Math.sqrt(time));
        double delta = g.grad(spot, strike, vol, rate, time).scalar("spot");
        assertClose("delta ≈ N(d1)", normalCdf(d1), delta, 1e-4);
        checkFd(g, p -> new Object[] {p.uniform(80, 120), p.uniform(90, 110), p.uniform(0.1, 0.4),
            p.uniform(0, 0.05), p.uniform(0.25, 2)});
    }

    /** N(x) by numerical integration of the density, independent of the code under test. */
    static double normalCdf(double x) {
        int n = 200_000;
        double lo = -12;
        double h = (x - lo) / n;
        double s = 0;
        for (int i = 0; i <= n; i++) {
            double t = lo + i * h;
            double w = i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2);
            s += w * Math.exp(-0.5 * t * t);
        }
        return s * h / 3 / Math.sqrt(2 * Math.PI);
    }

    @Test
    void twoLayerNetworkLoss() {
        checkFd("""
                package real;

                import dev.adjoint.Differentiable;

                class Mlp {
                    @Differentiable(wrt = {"w1", "b1", "w2", "b2"})
                    static double loss(double[][] w1, double[] b1, double[] w2, double b2, double[][] xs, double[] ys) {
                        double total = 0;
                        int hidden = b1.length;
                        double[] h = new double[hidden];
                        for (int s = 0; s < xs.length; s++) {
                            for (int k = 0; k < hidden; k++) {
                                double z = b1[k];
                                for (int j = 0; j < xs[s].length; j++) {
                                    z += w1[k][j] * xs[s][j];
                                }
                                h[k] = Math.tanh(z);
                            }
                            double out = b2;
                            for (int k = 0; k < hidden; k++) {
                                out += w2[k] * h[k];
                            }
                            double err = out - ys[s];
                            total += err * err;
                        }
                        return 0.5 * total / xs.length;
                    }
                }
                """, "loss", p -> new Object[] {p.matrix(4, 3, -1, 1), p.vector(4, -0.5, 0.5), p.vector(4, -1, 1),
                    p.uniform(-0.5, 0.5), p.matrix(6, 3, -2, 2), p.vector(6, -1, 1)});
    }

    @Test
    void gaussianNegativeLogLikelihood() {
        checkFd("""
                package real;

                import dev.adjoint.Differentiable;

                class Gaussian {
                    @Differentiable(wrt = {"mu", "logSigma"})
                    static double nll(double mu, double logSigma, double[] data) {
                        double sigma = Math.exp(logSigma);
                        double sum = 0;
                        for (double x : data) {
                            double r = (x - mu) / sigma;
                            sum += 0.5 * r * r + logSigma + 0.5 * Math.log(2 * Math.PI);
                        }
                        return sum;
                    }
                }
                """, "nll", p -> new Object[] {p.uniform(-1, 1), p.uniform(-1, 1), p.vector(12, -3, 3)});
    }

    @Test
    void matrixPowerIteration() {
        // Rayleigh quotient after a few steps of power iteration on a symmetric matrix, vectors overwritten in place.
        checkFd("""
                package real;

                import dev.adjoint.Differentiable;

                class PowerIteration {
                    @Differentiable
                    static double rayleigh(double[][] a, double[] start) {
                        int n = start.length;
                        double[] v = new double[n];
                        double[] w = new double[n];
                        for (int i = 0; i < n; i++) {
                            v[i] = start[i];
                        }
                        for (int it = 0; it < 8; it++) {
                            double norm = 0;
                            for (int i = 0; i < n; i++) {
                                double s = 0;
                                for (int j = 0; j < n; j++) {
                                    s += 0.5 * (a[i][j] + a[j][i]) * v[j];
                                }
                                w[i] = s;
                                norm += s * s;
                            }
                            norm = Math.sqrt(norm);
                            for (int i = 0; i < n; i++) {
                                v[i] = w[i] / norm;
                            }
                        }
                        double num = 0;
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < n; j++) {
                                num += v[i] * 0.5 * (a[i][j] + a[j][i]) * v[j];
                            }
                        }
                        return num;
                    }
                }
                """, "rayleigh", p -> new Object[] {diagonallyDominant(p, 3), p.vector(3, 0.5, 1)});
    }

    static double[][] diagonallyDominant(RandomPoints p, int n) {
        double[][] a = p.matrix(n, n, -0.3, 0.3);
        for (int i = 0; i < n; i++) {
            a[i][i] += 1 + 2 * i;
        }
        return a;
    }

    @Test
    void trapezoidalIntegralOfAParametricFunction() {
        checkFd("""
                package real;

                import dev.adjoint.Differentiable;

                class Quadrature {
                    /** ∫₀¹ exp(−a t²) cos(b t) dt by the trapezoidal rule. */
                    @Differentiable
                    static double integral(double a, double b) {
                        int n = 64;
                        double h = 1.0 / n;
                        double sum = 0.5 * (1 + Math.exp(-a) * Math.cos(b));
                        for (int i = 1; i < n; i++) {
                            double t = i * h;
                            sum += Math.exp(-a * t * t) * Math.cos(b * t);
                        }
                        return sum * h;
                    }
                }
                """, "integral", p -> new Object[] {p.uniform(0, 3), p.uniform(-4, 4)});
    }
}
