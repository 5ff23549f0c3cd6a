package dev.adjoint.processor;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.RandomPoints;
import java.util.List;
import java.util.function.Function;

/** Shared steps of the gradient tests: compile strictly, find the gradient, check it at seeded random points. */
final class GradientTesting {
    /** Relative tolerance against finite differences. */
    static final double FD_TOLERANCE = 1e-6;
    /** Points per finite-difference check. */
    static final int POINTS = 6;

    private GradientTesting() {}

    /**
     * Compiles one source with the Adjoint processor and {@code -Xlint:all,-processing -Werror}, so that a warning in
     * the generated code fails; the compile must succeed.
     */
    static Compilation compile(String source) {
        return Javac.adjoint().strict().compile(source).assertSucceeded();
    }

    /** The gradient of {@code method} of the (only) class of {@code source}, compiled by {@link #compile}. */
    static Grad grad(String source, String method) {
        Compilation c = compile(source);
        String className = c.sources().keySet().iterator().next();
        return Grad.of(c, className, method);
    }

    /**
     * Compiles {@code source}, then checks the gradient of {@code method} against finite differences at
     * {@link #POINTS} points drawn by {@code generator} from a seed fixed by the source text. At most a fifth of the
     * components may be skipped as numerically unreliable.
     */
    static GradientCheck checkFd(String source, String method, Function<RandomPoints, Object[]> generator) {
        return checkFd(grad(source, method), generator);
    }

    /** As {@link #checkFd(String, String, Function)}, for an already compiled gradient. */
    static GradientCheck checkFd(Grad grad, Function<RandomPoints, Object[]> generator) {
        long seed = grad.compilation().sources().values().iterator().next().hashCode();
        List<Object[]> points = RandomPoints.points(seed, POINTS, generator);
        return GradientCheck.of(grad).tolerance(FD_TOLERANCE).atAll(points).assertPassed(POINTS, 0.2);
    }
}
