package dev.adjoint.gradbench.lse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adjoint.gradbench.BadInput;
import dev.adjoint.gradbench.Eval;
import dev.adjoint.gradbench.Input;

/** Module {@code lse}: input {@code {"x": [n]}}; {@code primal} a number, {@code gradient} {@code [n]}. */
public final class LseEval extends Eval {

    public LseEval() {
        super("lse", "primal", "gradient");
    }

    @Override
    public Call prepare(String function, JsonNode input) throws BadInput {
        Input.object(input);
        double[] x = Input.nonEmptyVectorField(input, "x");
        if (function.equals("primal")) {
            return () -> Lse.primal(x);
        }
        LseGrad.PrimalGradient out = new LseGrad.PrimalGradient();
        return () -> LseGrad.primal(x, out).x();
    }
}
