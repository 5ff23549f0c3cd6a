package dev.adjoint.gradbench.ode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adjoint.gradbench.BadInput;
import dev.adjoint.gradbench.Eval;
import dev.adjoint.gradbench.Input;

/**
 * Module {@code ode}: input {@code {"x": [n], "s": int}}; {@code primal} gives y(2) ({@code [n]}), {@code gradient}
 * ∂yₙ₋₁(2)/∂x ({@code [n]}): the vector-Jacobian product of the generated reverse sweep with the last unit vector.
 */
public final class OdeEval extends Eval {

    public OdeEval() {
        super("ode", "primal", "gradient");
    }

    @Override
    public Call prepare(String function, JsonNode input) throws BadInput {
        Input.object(input);
        double[] x = Input.nonEmptyVectorField(input, "x");
        int s = Input.integerField(input, "s", 1, Integer.MAX_VALUE);
        if (function.equals("primal")) {
            return () -> Ode.primal(x, s);
        }
        double[] last = new double[x.length];
        last[x.length - 1] = 1;
        OdeGrad.PrimalVjp out = new OdeGrad.PrimalVjp();
        return () -> OdeGrad.primalVjp(x, s, last, out).x();
    }
}
