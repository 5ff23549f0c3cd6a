package dev.adjoint.samples;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;

/**
 * Trains one ReLU neuron by gradient descent on the mean squared error of {@link Neuron#loss}, using the gradient
 * {@code NeuronGrad} that Adjoint wrote at compile time. Run it from the repository root with
 * {@code mvn -B -q -Pdemo -DskipTests verify} (see the README).
 */
public final class NeuronDemo {
    /** Where Maven's compiler plugin puts the generated source, relative to the repository root. */
    static final String GENERATED_SOURCE =
            "samples/target/generated-sources/annotations/dev/adjoint/samples/NeuronGrad.java";

    private NeuronDemo() {}

    /**
     * Synthetic training data: inputs and the targets a known neuron gives them.
     *
     * @param X the inputs, one row per sample
     * @param y the targets
     */
    record Data(double[][] X, double[] y) {}

    /**
     * Draws inputs uniformly from [-1, 1] and labels them with the neuron (trueW, trueB), without noise.
     *
     * @param trueW the weights that produce the targets
     * @param trueB the bias that produces the targets
     * @param samples how many samples
     * @param seed the seed of the random inputs
     * @return the data
     */
    static Data synthetic(double[] trueW, double trueB, int samples, long seed) {
        Random random = new Random(seed);
        double[][] X = new double[samples][trueW.length];
        double[] y = new double[samples];
        for (int i = 0; i < samples; i++) {
            for (int j = 0; j < trueW.length; j++) {
                X[i][j] = 2 * random.nextDouble() - 1;
            }
            y[i] = Neuron.activation(trueW, trueB, X[i]);
        }
        return new Data(X, y);
    }

    /**
     * One step of plain gradient descent, w ← w − η ∂C/∂w and b ← b − η ∂C/∂b, from a gradient already computed
     * by {@code NeuronGrad.loss(w, b, X, y, grad)}.
     *
     * @param w the weights, updated in place
     * @param b the bias
     * @param learningRate η
     * @param grad the gradient at (w, b)
     * @return the new bias
     */
    static double descend(double[] w, double b, double learningRate, NeuronGrad.LossGradient grad) {
        double[] wBar = grad.w();
        for (int j = 0; j < w.length; j++) {
            w[j] -= learningRate * wBar[j];
        }
        return b - learningRate * grad.b();
    }

    /**
     * ∂C/∂w[j] by central differences, (C(w + h eⱼ) − C(w − h eⱼ)) / 2h, evaluating the original method only.
     *
     * @param w the weights (restored before returning)
     * @param b the bias
     * @param data the data
     * @param j the component
     * @param h the step
     * @return the estimate
     */
    static double centralDifferenceW(double[] w, double b, Data data, int j, double h) {
        double saved = w[j];
        w[j] = saved + h;
        double plus = Neuron.loss(w, b, data.X(), data.y());
        w[j] = saved - h;
        double minus = Neuron.loss(w, b, data.X(), data.y());
        w[j] = saved;
        return (plus - minus) / (2 * h);
    }

    /**
     * ∂C/∂b by central differences.
     *
     * @param w the weights
     * @param b the bias
     * @param data the data
     * @param h the step
     * @return the estimate
     */
    static double centralDifferenceB(double[] w, double b, Data data, double h) {
        return (Neuron.loss(w, b + h, data.X(), data.y()) - Neuron.loss(w, b - h, data.X(), data.y())) / (2 * h);
    }

    /**
     * @param a one number
     * @param b another
     * @return |a − b| / max(|a|, |b|), or 0 when both are 0
     */
    static double relativeError(double a, double b) {
        double scale = Math.max(Math.abs(a), Math.abs(b));
        return scale == 0 ? 0 : Math.abs(a - b) / scale;
    }

    /** The JVM's per-thread allocation counter, or null where the JVM has none (HotSpot JVMs have one). */
    private static final com.sun.management.ThreadMXBean THREADS =
            ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                    && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()
                    ? threads : null;

    /**
     * Bytes this thread allocated so far, or -1 where the JVM cannot tell.
     *
     * @return the count
     */
    static long allocatedBytes() {
        return THREADS == null ? -1 : THREADS.getCurrentThreadAllocatedBytes();
    }

    /** @param args unused */
    public static void main(String[] args) {
        double[] trueW = {1.5, -2.0, 0.5};
        double trueB = 4.5; // |w.x| <= 4 on [-1, 1]^3, so w.x + b > 0: every ReLU is active
        int samples = 200;
        long seed = 42;
        Data data = synthetic(trueW, trueB, samples, seed);

        System.out.println("Adjoint demo: one ReLU neuron, C(w, b) = 1/N sum_i (y_i - max(0, w.x_i + b))^2");
        System.out.printf("Data: %d samples, x in [-1, 1]^3, y from true w = %s, b = %s (seed %d)%n",
                samples, Arrays.toString(trueW), trueB, seed);

        // Start at w = 0, b = 1 (not b = 0: at z = 0 the ReLU's derivative is 0, so training could not start).
        double[] w = new double[trueW.length];
        double b = 1.0;
        NeuronGrad.LossGradient grad = new NeuronGrad.LossGradient();

        NeuronGrad.loss(w, b, data.X(), data.y(), grad);
        double reverse = grad.w()[0];
        double central = centralDifferenceW(w, b, data, 0, 1e-5);
        System.out.println();
        System.out.println("Gradient check at the start, dC/dw[0]:");
        System.out.printf("  reverse mode (NeuronGrad)  %+.12f%n", reverse);
        System.out.printf("  central difference, h=1e-5 %+.12f   relative error %.1e%n",
                central, relativeError(reverse, central));

        double learningRate = 0.2;
        int steps = 200;
        int every = 25;
        System.out.println();
        System.out.printf("Gradient descent, learning rate %s, one reused result object:%n", learningRate);
        System.out.println("   step        loss     |dC/dw|      dC/db");
        long before = allocatedBytes();
        long printing = 0;
        for (int t = 0; ; t++) {
            NeuronGrad.loss(w, b, data.X(), data.y(), grad); // writes into grad: no allocation
            if (t % every == 0) {
                long start = allocatedBytes();
                System.out.printf("  %5d  %10.3e  %10.3e  %+10.3e%n", t, grad.value(), norm(grad.w()), grad.b());
                printing += allocatedBytes() - start;
            }
            if (t == steps) {
                break;
            }
            b = descend(w, b, learningRate, grad);
        }
        long trainingBytes = allocatedBytes() - before - printing;

        System.out.println();
        System.out.println("          learned      true");
        for (int j = 0; j < w.length; j++) {
            System.out.printf("  w[%d]  %+9.5f  %+8.4f%n", j, w[j], trueW[j]);
        }
        System.out.printf("  b     %+9.5f  %+8.4f%n", b, trueB);
        if (before >= 0) {
            System.out.printf("%nHeap allocated by %d gradient calls and steps (printing aside): %d bytes%n",
                    steps + 1, trainingBytes);
        }
        System.out.println();
        System.out.println("The gradient code Adjoint generated is plain Java; read it at");
        System.out.println("  " + GENERATED_SOURCE);
    }

    private static double norm(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
