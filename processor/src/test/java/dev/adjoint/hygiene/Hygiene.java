package dev.adjoint.hygiene;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.RandomPoints;
import java.util.List;
import java.util.function.Function;

/** Shared steps of the hygiene tests: compile strictly, then check gradients against finite differences. */
final class Hygiene {
    /** Relative tolerance against finite differences. */
    static final double TOLERANCE = 1e-6;
    /** Points per check. */
    static final int POINTS = 8;

    private Hygiene() {}

    /** Compiles with the Adjoint processor and {@code -Xlint:all,-processing -Werror}; must succeed. */
    static Compilation compile(String... sources) {
        return Javac.adjoint().strict().compile(sources).assertSucceeded();
    }

    /**
     * Checks {@code className.method} (binary name) of a compilation against finite differences at {@link #POINTS}
     * seeded points; at most a fifth of the components may be skipped as unreliable.
     */
    static GradientCheck check(Compilation c, String className, String method, Function<RandomPoints, Object[]> gen,
            Class<?>... parameterTypes) {
        Grad g = Grad.of(c, className, method, parameterTypes);
        List<Object[]> points = RandomPoints.points((className + "#" + method).hashCode(), POINTS, gen);
        return GradientCheck.of(g).tolerance(TOLERANCE).atAll(points).assertPassed(POINTS, 0.2);
    }

    /** Compiles one source and checks the gradient of {@code method} of its class. */
    static GradientCheck check(String source, String method, Function<RandomPoints, Object[]> gen) {
        Compilation c = compile(source);
        return check(c, c.sources().keySet().iterator().next(), method, gen);
    }
}
