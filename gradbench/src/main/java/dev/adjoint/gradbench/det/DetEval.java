package dev.adjoint.gradbench.det;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adjoint.gradbench.BadInput;
import dev.adjoint.gradbench.Eval;
import dev.adjoint.gradbench.Input;

/**
 * Module {@code det}: input {@code {"A": [ℓ²] (row-major), "ell": ℓ}}; {@code primal} the determinant,
 * {@code gradient} ∂det/∂A ({@code [ℓ²]}, row-major).
 */
public final class DetEval extends Eval {

    public DetEval() {
        super("det", "primal", "gradient");
    }
    /** 13! terms already take hours; the cap keeps a typo from hanging the tool. */
    static final int MAX_ELL = 12;

    @Override
    public Call prepare(String function, JsonNode input) throws BadInput {
        Input.object(input);
        int ell = Input.integerField(input, "ell", 1, MAX_ELL);
        double[] a = Input.vectorField(input, "A", ell * ell);
        if (function.equals("primal")) {
            return () -> Det.primal(a, ell);
        }
        DetGrad.PrimalGradient out = new DetGrad.PrimalGradient();
        return () -> DetGrad.primal(a, ell, out).a();
    }
}
