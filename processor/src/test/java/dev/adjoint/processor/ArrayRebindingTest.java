package dev.adjoint.processor;

import static dev.adjoint.processor.GradientTesting.checkFd;
import static dev.adjoint.processor.GradientTesting.grad;
import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.RandomPoints;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Array variables that are rebound as the program runs: a layer or RNN loop ({@code h = next}), buffers swapped in
 * a loop (ping-pong, as in iterative solvers and ODE steppers), a parameter variable rebound to a new array, a
 * matrix of row references, a candidate kept only when it improves. Their adjoints must be rebound with them in the
 * forward sweep and restored in the reverse sweep; loops run 0, 1 and many times. Each gradient is checked against
 * closed forms where they are easy and against finite differences at seeded points.
 */
class ArrayRebindingTest {

    // ------------------------------------------------------------------ a recurrent network

    private static final String RNN = """
            package nets;

            import dev.adjoint.Differentiable;

            class Rnn {
                /** Elman network: h <- tanh(Wh h + Wx x_t + b) over the sequence xs, then 1/2 |h - target|^2. */
                @Differentiable(wrt = {"wh", "wx", "b"})
                static double loss(double[][] wh, double[][] wx, double[] b, double[] h0, double[][] xs,
                        double[] target) {
                    double[] h = h0;
                    for (int t = 0; t < xs.length; t++) {
                        double[] next = new double[h.length];
                        for (int i = 0; i < next.length; i++) {
                            double z = b[i];
                            for (int j = 0; j < h.length; j++) {
                                z += wh[i][j] * h[j];
                            }
                            for (int k = 0; k < xs[t].length; k++) {
                                z += wx[i][k] * xs[t][k];
                            }
                            next[i] = Math.tanh(z);
                        }
                        h = next;
                    }
                    double loss = 0;
                    for (int i = 0; i < h.length; i++) {
                        double e = h[i] - target[i];
                        loss += e * e;
                    }
                    return 0.5 * loss;
                }

                /** The same network, differentiated with respect to its initial state too. */
                @Differentiable(wrt = {"wh", "wx", "b", "h0"})
                static double lossFromState(double[][] wh, double[][] wx, double[] b, double[] h0, double[][] xs,
                        double[] target) {
                    double[] h = h0;
                    for (int t = 0; t < xs.length; t++) {
                        double[] next = new double[h.length];
                        for (int i = 0; i < next.length; i++) {
                            double z = b[i];
                            for (int j = 0; j < h.length; j++) {
                                z += wh[i][j] * h[j];
                            }
                            for (int k = 0; k < xs[t].length; k++) {
                                z += wx[i][k] * xs[t][k];
                            }
                            next[i] = Math.tanh(z);
                        }
                        h = next;
                    }
                    double loss = 0;
                    for (int i = 0; i < h.length; i++) {
                        double e = h[i] - target[i];
                        loss += e * e;
                    }
                    return 0.5 * loss;
                }
            }
            """;

    private static Object[] rnnPoint(RandomPoints r, int steps) {
        int n = 4;
        int in = 3;
        return new Object[] {r.matrix(n, n, -0.6, 0.6), r.matrix(n, in, -0.6, 0.6), r.vector(n, -0.3, 0.3),
            r.vector(n, -1, 1), r.matrix(steps, in, -1, 1), r.vector(n, -0.8, 0.8)};
    }

    @Test
    void rnnWithAFixedInitialState() {
        // h = h0 with h0 not differentiated, then h = next: once a false ADJ010 (a write into h0's array)
        Compilation c = GradientTesting.compile(RNN);
        Grad g = Grad.of(c, "nets.Rnn", "loss");
        assertEquals(List.of("wh", "wx", "b"), g.differentiated());
        checkFd(g, r -> rnnPoint(r, 6));
    }

    @Test
    void rnnDifferentiatedWithRespectToItsInitialState() {
        Compilation c = GradientTesting.compile(RNN);
        Grad g = Grad.of(c, "nets.Rnn", "lossFromState");
        assertEquals(List.of("wh", "wx", "b", "h0"), g.differentiated());
        checkFd(g, r -> rnnPoint(r, 6));
        checkFd(g, r -> rnnPoint(r, 1));
    }

    @Test
    void rnnOverSequencesOfLengthZeroAndOneHasItsClosedForm() {
        Compilation c = GradientTesting.compile(RNN);
        Grad g = Grad.of(c, "nets.Rnn", "lossFromState");
        Grad fixed = Grad.of(c, "nets.Rnn", "loss");
        RandomPoints r = RandomPoints.seeded(7);
        Object[] p = rnnPoint(r, 0);
        double[][] wh = (double[][]) p[0];
        double[][] wx = (double[][]) p[1];
        double[] b = (double[]) p[2];
        double[] h0 = (double[]) p[3];
        double[] target = (double[]) p[5];
        int n = h0.length;

        // no step: the loss is 1/2 |h0 - target|^2, the weights get nothing
        Grad.Result zero = g.grad(p);
        double[] residual = new double[n];
        for (int i = 0; i < n; i++) {
            residual[i] = h0[i] - target[i];
        }
        assertClose("dL/dh0 = h0 - target", residual, zero.vector("h0"), 1e-15);
        assertClose("dL/dWh", new double[n][n], zero.matrix("wh"), 0);
        assertClose("dL/db", new double[n], zero.vector("b"), 0);
        assertClose("dL/dWh with h0 fixed", new double[n][n], fixed.grad(p).matrix("wh"), 0);

        // one step: h1 = tanh(z), delta = (h1 - target) (1 - h1^2)
        double[] x = r.vector(wx[0].length, -1, 1);
        Object[] one = p.clone();
        one[4] = new double[][] {x};
        double[] delta = new double[n];
        for (int i = 0; i < n; i++) {
            double z = b[i];
            for (int j = 0; j < n; j++) {
                z += wh[i][j] * h0[j];
            }
            for (int k = 0; k < x.length; k++) {
                z += wx[i][k] * x[k];
            }
            double h1 = Math.tanh(z);
            delta[i] = (h1 - target[i]) * (1 - h1 * h1);
        }
        double[][] dWh = new double[n][n];
        double[][] dWx = new double[n][x.length];
        double[] dH0 = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                dWh[i][j] = delta[i] * h0[j];
                dH0[j] += delta[i] * wh[i][j];
            }
            for (int k = 0; k < x.length; k++) {
                dWx[i][k] = delta[i] * x[k];
            }
        }
        for (Grad.Result res : List.of(g.grad(one), fixed.grad(one))) {
            assertClose("dL/db = delta", delta, res.vector("b"), 1e-12);
            assertClose("dL/dWh = delta h0^T", dWh, res.matrix("wh"), 1e-12);
            assertClose("dL/dWx = delta x^T", dWx, res.matrix("wx"), 1e-12);
        }
        assertClose("dL/dh0 = Wh^T delta", dH0, g.grad(one).vector("h0"), 1e-12);
    }

    // ------------------------------------------------------------------ a perceptron over layers

    private static final String MLP = """
            package nets;

            import dev.adjoint.Differentiable;

            class Layers {
                /**
                 * A perceptron with any number of layers of any width: layer l maps h to tanh(W_l h + b_l) (the last
                 * one without tanh), W_l stored row-major in weights[l].
                 */
                @Differentiable(wrt = {"weights", "biases"})
                static double loss(double[][] weights, double[][] biases, double[] input, double[] target) {
                    double[] h = input;
                    for (int l = 0; l < weights.length; l++) {
                        int width = biases[l].length;
                        double[] out = new double[width];
                        for (int i = 0; i < width; i++) {
                            double z = biases[l][i];
                            for (int j = 0; j < h.length; j++) {
                                z += weights[l][i * h.length + j] * h[j];
                            }
                            out[i] = l < weights.length - 1 ? Math.tanh(z) : z;
                        }
                        h = out;
                    }
                    double loss = 0;
                    for (int i = 0; i < h.length; i++) {
                        loss += (h[i] - target[i]) * (h[i] - target[i]);
                    }
                    return loss;
                }

                /** The same, differentiated with respect to everything, the input included. */
                @Differentiable
                static double lossWithInput(double[][] weights, double[][] biases, double[] input, double[] target) {
                    double[] h = input;
                    for (int l = 0; l < weights.length; l++) {
                        int width = biases[l].length;
                        double[] out = new double[width];
                        for (int i = 0; i < width; i++) {
                            double z = biases[l][i];
                            for (int j = 0; j < h.length; j++) {
                                z += weights[l][i * h.length + j] * h[j];
                            }
                            out[i] = l < weights.length - 1 ? Math.tanh(z) : z;
                        }
                        h = out;
                    }
                    double loss = 0;
                    for (int i = 0; i < h.length; i++) {
                        loss += (h[i] - target[i]) * (h[i] - target[i]);
                    }
                    return loss;
                }
            }
            """;

    /** Widths 3 -> 5 -> 4 -> 2. */
    private static Object[] mlpPoint(RandomPoints r) {
        int[] widths = {3, 5, 4, 2};
        double[][] w = new double[widths.length - 1][];
        double[][] b = new double[widths.length - 1][];
        for (int l = 0; l + 1 < widths.length; l++) {
            w[l] = r.vector(widths[l] * widths[l + 1], -0.7, 0.7);
            b[l] = r.vector(widths[l + 1], -0.2, 0.2);
        }
        return new Object[] {w, b, r.vector(widths[0], -1, 1), r.vector(widths[widths.length - 1], -1, 1)};
    }

    @Test
    void perceptronOverLayersOfDifferentWidths() {
        Compilation c = GradientTesting.compile(MLP);
        checkFd(Grad.of(c, "nets.Layers", "loss"), ArrayRebindingTest::mlpPoint);
        checkFd(Grad.of(c, "nets.Layers", "lossWithInput"), ArrayRebindingTest::mlpPoint);
    }

    @Test
    void perceptronWithZeroAndOneLayers() {
        Compilation c = GradientTesting.compile(MLP);
        Grad g = Grad.of(c, "nets.Layers", "lossWithInput");
        double[] input = {0.5, -1, 2};
        double[] target = {1, 1, 1};
        // no layer: loss = |input - target|^2
        Grad.Result none = g.grad(new double[0][], new double[0][], input, target);
        assertClose("loss", 0.25 + 4 + 1, none.value(), 1e-15);
        assertClose("dL/dinput = 2 (input - target)", new double[] {-1, -4, 2}, none.vector("input"), 1e-15);
        assertClose("dL/dtarget", new double[] {1, 4, -2}, none.vector("target"), 1e-15);
        assertEquals(0, none.matrix("weights").length);
        // one linear layer to one output: loss = (w.input + b - t)^2
        double[][] w = {{0.25, -0.5, 1}};
        double[][] b = {{0.125}};
        double residual = 0.25 * 0.5 + 0.5 + 2 + 0.125 - 1;
        Grad.Result one = g.grad(w, b, input, new double[] {1});
        assertClose("loss", residual * residual, one.value(), 1e-15);
        assertClose("dL/dW = 2 r input", new double[][] {{2 * residual * 0.5, -2 * residual, 4 * residual}},
                one.matrix("weights"), 1e-15);
        assertClose("dL/db = 2 r", new double[][] {{2 * residual}}, one.matrix("biases"), 1e-15);
        assertClose("dL/dinput = 2 r W", new double[] {2 * residual * 0.25, -residual, 2 * residual},
                one.vector("input"), 1e-15);
        checkFd(g, r -> {
            Object[] p = mlpPoint(r);
            return new Object[] {new double[][] {((double[][]) p[0])[0]}, new double[][] {((double[][]) p[1])[0]},
                p[2], r.vector(5, -1, 1)};
        });
    }

    // ------------------------------------------------------------------ buffers swapped in a loop

    private static final String SOLVERS = """
            package solvers;

            import dev.adjoint.Differentiable;

            class PingPong {
                /**
                 * Jacobi sweeps for the tridiagonal system diag[i] u[i] + coupling (u[i-1] + u[i+1]) = rhs[i],
                 * slightly nonlinear, the two buffers swapped after each sweep; then the energy of the iterate.
                 */
                @Differentiable(wrt = {"diag", "rhs", "coupling"})
                static double jacobi(double[] diag, double[] rhs, double coupling, int sweeps) {
                    int n = rhs.length;
                    double[] cur = new double[n];
                    double[] nxt = new double[n];
                    for (int s = 0; s < sweeps; s++) {
                        for (int i = 0; i < n; i++) {
                            double left = i > 0 ? cur[i - 1] : 0.0;
                            double right = i < n - 1 ? cur[i + 1] : 0.0;
                            nxt[i] = (rhs[i] - coupling * (left + right)) / diag[i] + 0.1 * cur[i] * cur[i];
                        }
                        double[] t = cur;
                        cur = nxt;
                        nxt = t;
                    }
                    double energy = 0;
                    for (int i = 0; i < n; i++) {
                        energy += cur[i] * cur[i];
                    }
                    return energy;
                }

                /** Explicit Euler for u' = kappa (discrete Laplacian of u) - u^3 on a ring, state and scratch swapped. */
                @Differentiable(wrt = {"u0", "kappa"})
                static double heat(double[] u0, double kappa, double dt, int steps) {
                    int n = u0.length;
                    double[] u = new double[n];
                    double[] v = new double[n];
                    for (int i = 0; i < n; i++) {
                        u[i] = u0[i];
                    }
                    int step = 0;
                    while (step < steps) {
                        for (int i = 0; i < n; i++) {
                            double lap = u[(i + n - 1) % n] - 2 * u[i] + u[(i + 1) % n];
                            v[i] = u[i] + dt * (kappa * lap - u[i] * u[i] * u[i]);
                        }
                        double[] swap = u;
                        u = v;
                        v = swap;
                        step++;
                    }
                    double e = 0;
                    for (double ui : u) {
                        e += ui * ui;
                    }
                    return e;
                }
            }
            """;

    private static Object[] jacobiPoint(RandomPoints r, int sweeps) {
        int n = 5;
        return new Object[] {r.vector(n, 2, 3), r.vector(n, -1, 1), r.uniform(-0.5, 0.5), sweeps};
    }

    @Test
    void jacobiSweepsWithSwappedBuffers() {
        Grad g = Grad.of(GradientTesting.compile(SOLVERS), "solvers.PingPong", "jacobi");
        for (int sweeps : new int[] {2, 3, 12}) {
            checkFd(g, r -> jacobiPoint(r, sweeps));
        }
    }

    @Test
    void jacobiWithZeroAndOneSweepHasItsClosedForm() {
        Grad g = Grad.of(GradientTesting.compile(SOLVERS), "solvers.PingPong", "jacobi");
        double[] diag = {2, 2.5, 3, 4};
        double[] rhs = {1, -2, 0.5, 3};
        Grad.Result none = g.grad(diag, rhs, 0.3, 0);
        assertClose("energy", 0, none.value(), 0);
        assertClose("dE/drhs", new double[4], none.vector("rhs"), 0);
        assertClose("dE/dcoupling", 0, none.scalar("coupling"), 0);
        // one sweep from zero: cur[i] = rhs[i] / diag[i]
        Grad.Result one = g.grad(diag, rhs, 0.3, 1);
        double[] dRhs = new double[4];
        double[] dDiag = new double[4];
        double energy = 0;
        for (int i = 0; i < 4; i++) {
            double u = rhs[i] / diag[i];
            energy += u * u;
            dRhs[i] = 2 * u / diag[i];
            dDiag[i] = -2 * u * rhs[i] / (diag[i] * diag[i]);
        }
        assertClose("energy", energy, one.value(), 1e-15);
        assertClose("dE/drhs = 2 u / d", dRhs, one.vector("rhs"), 1e-15);
        assertClose("dE/ddiag = -2 u rhs / d^2", dDiag, one.vector("diag"), 1e-15);
        assertClose("dE/dcoupling: the first sweep reads zeros", 0, one.scalar("coupling"), 0);
    }

    @Test
    void heatStepsWithSwappedBuffersZeroOneAndMany() {
        Grad g = Grad.of(GradientTesting.compile(SOLVERS), "solvers.PingPong", "heat");
        double[] u0 = {0.5, -0.25, 1, 0.75, -1};
        double kappa = 0.8;
        double dt = 0.05;
        int n = u0.length;
        // no step: e = |u0|^2
        Grad.Result none = g.grad(u0, kappa, dt, 0);
        double[] twice = new double[n];
        for (int i = 0; i < n; i++) {
            twice[i] = 2 * u0[i];
        }
        assertClose("de/du0 = 2 u0", twice, none.vector("u0"), 1e-15);
        assertClose("de/dkappa", 0, none.scalar("kappa"), 0);
        // one step: u1[i] = u0[i] + dt (kappa lap[i] - u0[i]^3)
        double[] u1 = new double[n];
        double dKappa = 0;
        for (int i = 0; i < n; i++) {
            double lap = u0[(i + n - 1) % n] - 2 * u0[i] + u0[(i + 1) % n];
            u1[i] = u0[i] + dt * (kappa * lap - u0[i] * u0[i] * u0[i]);
            dKappa += 2 * u1[i] * dt * lap;
        }
        double[] dU0 = new double[n];
        for (int i = 0; i < n; i++) {
            dU0[i] += 2 * u1[i] * (1 - 2 * dt * kappa - 3 * dt * u0[i] * u0[i]);
            dU0[(i + n - 1) % n] += 2 * u1[i] * dt * kappa;
            dU0[(i + 1) % n] += 2 * u1[i] * dt * kappa;
        }
        Grad.Result one = g.grad(u0, kappa, dt, 1);
        assertClose("de/dkappa = sum 2 u1 dt lap", dKappa, one.scalar("kappa"), 1e-13);
        assertClose("de/du0", dU0, one.vector("u0"), 1e-13);
        for (int steps : new int[] {1, 2, 25}) {
            checkFd(g, r -> new Object[] {r.vector(6, -1, 1), r.uniform(0.2, 1), 0.05, steps});
        }
    }

    // ------------------------------------------------------------------ a parameter variable rebound

    @Test
    void parameterReboundToANewArrayInALoop() {
        Grad g = grad("""
                package maps;

                import dev.adjoint.Differentiable;

                class Iterated {
                    /** steps applications of y[i] = sin(a x[i]) + x[i+1] (cyclic), x rebound to y each time. */
                    @Differentiable
                    static double f(double[] x, double a, int steps) {
                        for (int s = 0; s < steps; s++) {
                            double[] y = new double[x.length];
                            for (int i = 0; i < x.length; i++) {
                                y[i] = Math.sin(a * x[i]) + x[(i + 1) % x.length];
                            }
                            x = y;
                        }
                        double sum = 0;
                        for (double xi : x) {
                            sum += xi * xi;
                        }
                        return sum;
                    }
                }
                """, "f");
        double[] x = {0.5, -1, 0.25};
        double a = 0.7;
        Grad.Result none = g.grad(x, a, 0);
        assertClose("no step: 2x", new double[] {1, -2, 0.5}, none.vector("x"), 1e-15);
        assertClose("no step: d/da", 0, none.scalar("a"), 0);
        // one step: y[i] = sin(a x[i]) + x[i+1], f = sum y^2
        double[] dx = new double[3];
        double da = 0;
        for (int i = 0; i < 3; i++) {
            double y = Math.sin(a * x[i]) + x[(i + 1) % 3];
            dx[i] += 2 * y * a * Math.cos(a * x[i]);
            dx[(i + 1) % 3] += 2 * y;
            da += 2 * y * x[i] * Math.cos(a * x[i]);
        }
        Grad.Result one = g.grad(x, a, 1);
        assertClose("one step: d/dx", dx, one.vector("x"), 1e-14);
        assertClose("one step: d/da", da, one.scalar("a"), 1e-14);
        for (int steps : new int[] {1, 4, 10}) {
            checkFd(g, r -> new Object[] {r.vector(4, -1, 1), r.uniform(-1, 1), steps});
        }
    }

    // ------------------------------------------------------------------ rows stored in a local matrix

    @Test
    void matrixOfRowReferencesIntoAParameter() {
        // rows[k] = m[order[k]] writes the local container, not m's rows: once a false ADJ010
        Grad g = grad("""
                package rows;

                import dev.adjoint.Differentiable;

                class Gather {
                    /** sum over k of (k + 1) rows[k].v, where rows[k] = m[order[k]]. */
                    @Differentiable
                    static double gathered(double[][] m, int[] order, double[] v) {
                        double[][] rows = new double[order.length][];
                        for (int k = 0; k < order.length; k++) {
                            rows[k] = m[order[k]];
                        }
                        double s = 0;
                        for (int k = 0; k < rows.length; k++) {
                            for (int j = 0; j < rows[k].length; j++) {
                                s += (k + 1) * rows[k][j] * v[j];
                            }
                        }
                        return s;
                    }
                }
                """, "gathered");
        double[][] m = {{1, 2}, {3, 4}, {5, 6}};
        int[] order = {2, 0, 2, 1};
        double[] v = {0.5, -1};
        Grad.Result r = g.grad(m, order, v);
        // row 2 is taken at k = 0 and k = 2 (weights 1 + 3), row 0 at k = 1 (2), row 1 at k = 3 (4)
        assertClose("d/dm", new double[][] {{2 * 0.5, -2}, {4 * 0.5, -4}, {4 * 0.5, -4}}, r.matrix("m"), 0);
        assertClose("d/dv", new double[] {5 + 2 * 1 + 3 * 5 + 4 * 3, 6 + 2 * 2 + 3 * 6 + 4 * 4}, r.vector("v"), 0);
        checkFd(g, p -> new Object[] {p.matrix(4, 3, -1, 1), p.integers(6, 0, 3), p.vector(3, -1, 1)});
    }

    @Test
    void rowReferencesSortedInALocalMatrix() {
        Grad g = grad("""
                package rows;

                import dev.adjoint.Differentiable;

                class Ranked {
                    /** Rows ranked by their first element (a bubble sort of references), weighted by rank. */
                    @Differentiable
                    static double ranked(double[][] m) {
                        double[][] rows = new double[m.length][];
                        for (int i = 0; i < m.length; i++) {
                            rows[i] = m[i];
                        }
                        for (int pass = 0; pass < rows.length; pass++) {
                            for (int i = 0; i < rows.length - 1; i++) {
                                if (rows[i][0] > rows[i + 1][0]) {
                                    double[] t = rows[i];
                                    rows[i] = rows[i + 1];
                                    rows[i + 1] = t;
                                }
                            }
                        }
                        double s = 0;
                        for (int k = 0; k < rows.length; k++) {
                            for (int j = 0; j < rows[k].length; j++) {
                                s += (k + 1) * rows[k][j] * rows[k][j];
                            }
                        }
                        return s;
                    }
                }
                """, "ranked");
        double[][] m = {{0.5, 1}, {-1, 2}, {2, -0.5}, {0, 3}};
        // ranks by first element: row 1 (-1) is 0, row 3 (0) is 1, row 0 (0.5) is 2, row 2 (2) is 3
        int[] rank = {2, 0, 3, 1};
        double[][] expected = new double[4][2];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                expected[i][j] = 2 * (rank[i] + 1) * m[i][j];
            }
        }
        assertClose("d/dm = 2 (rank + 1) m", expected, g.grad((Object) m).matrix("m"), 0);
        checkFd(g, p -> new Object[] {p.matrix(5, 3, -2, 2)});
    }

    // ------------------------------------------------------------------ rebinding in a branch

    @Test
    void candidateKeptOnlyWhenItImproves() {
        Grad g = grad("""
                package search;

                import dev.adjoint.Differentiable;

                class Descent {
                    /** Trial steps from the best point so far; best is rebound to a trial only when it improves. */
                    @Differentiable(wrt = {"start", "step"})
                    static double best(double[] start, double step, int trials) {
                        double[] best = start;
                        double bestScore = 0;
                        for (int i = 0; i < start.length; i++) {
                            bestScore += start[i] * start[i];
                        }
                        for (int t = 1; t <= trials; t++) {
                            double[] trial = new double[best.length];
                            double score = 0;
                            for (int i = 0; i < trial.length; i++) {
                                trial[i] = best[i] - step * Math.sin(t * best[i] + i);
                                score += trial[i] * trial[i];
                            }
                            if (score < bestScore) {
                                best = trial;
                                bestScore = score;
                            }
                        }
                        return bestScore + best[0];
                    }
                }
                """, "best");
        double[] start = {0.5, -0.25, 1};
        Grad.Result none = g.grad(start, 0.1, 0);
        assertClose("no trial: 2 start + e0", new double[] {2, -0.5, 2}, none.vector("start"), 1e-15);
        assertClose("no trial: d/dstep", 0, none.scalar("step"), 0);
        checkFd(g, r -> new Object[] {r.vector(4, -1, 1), r.uniform(0.05, 0.3), r.integer(1, 8)});
    }
}
