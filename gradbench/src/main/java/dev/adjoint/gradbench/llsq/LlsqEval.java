package dev.adjoint.gradbench.llsq;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adjoint.gradbench.BadInput;
import dev.adjoint.gradbench.Eval;
import dev.adjoint.gradbench.Input;

/** Module {@code llsq}: input {@code {"x": [m], "n": int}}; {@code primal} a number, {@code gradient} {@code [m]}. */
public final class LlsqEval extends Eval {

    public LlsqEval() {
        super("llsq", "primal", "gradient");
    }

    @Override
    public Call prepare(String function, JsonNode input) throws BadInput {
        Input.object(input);
        double[] x = Input.vectorField(input, "x", -1);
        // t = -1 + 2i/(n-1) needs n >= 2
        int n = Input.integerField(input, "n", 2, Integer.MAX_VALUE);
        if (function.equals("primal")) {
            return () -> Llsq.primal(x, n);
        }
        LlsqGrad.PrimalGradient out = new LlsqGrad.PrimalGradient();
        return () -> LlsqGrad.primal(x, n, out).x();
    }
}
