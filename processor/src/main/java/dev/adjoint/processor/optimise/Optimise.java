package dev.adjoint.processor.optimise;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.DerivativeRequest;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.transform.Derivative;
import dev.adjoint.processor.transform.Gradient;
import dev.adjoint.processor.transform.Jvp;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The optimise stage: passes over a derivative's IR, after the transform and before it is printed, each IR in and
 * IR out. The decisions that need the analyses (what to save, store or recompute, which loops to reverse trip by
 * trip, which arrays the result owns) are made where they apply, in analysis and transform; what is here needs only
 * the derivative itself.
 */
public final class Optimise {
    private Optimise() {}

    /**
     * @param d a derivative as the transform made it
     * @return the same derivative, optimised: {@link ScalarAccumulators}
     */
    public static Derivative derivative(Derivative d) {
        if (d instanceof Gradient g && g.width() == null) {
            // the adjoint arrays of the parameters are the result's own, one per parameter, except a pullback's,
            // which its caller passes (and may pass twice)
            Set<Sym> given = new HashSet<>();
            if (g.request().mode() != DerivativeRequest.Mode.PULLBACK) {
                given.addAll(g.adjoints().values());
            }
            List<Core.Block> blocks = ScalarAccumulators.apply(List.of(g.forward(), g.reverse()), given,
                    g.symbols());
            return new Gradient(g.request(), blocks.get(0), blocks.get(1), g.result(), g.adjoints(), g.usesTape(),
                    g.symbols(), g.outName(), g.tapeName(), g.seed(), g.width());
        } else if (d instanceof Jvp j && j.width() == null) {
            List<Core.Block> blocks = ScalarAccumulators.apply(List.of(j.sweep()), Set.of(), j.symbols());
            return new Jvp(j.request(), blocks.get(0), j.result(), j.resultDot(), j.tangents(), j.symbols(),
                    j.outName(), j.width());
        }
        return d;
    }
}
