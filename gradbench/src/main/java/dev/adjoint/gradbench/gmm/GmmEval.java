package dev.adjoint.gradbench.gmm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adjoint.gradbench.BadInput;
import dev.adjoint.gradbench.Eval;
import dev.adjoint.gradbench.Input;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Module {@code gmm}: {@code objective} is {@link Gmm#objective}; {@code jacobian} is its gradient from the
 * generated {@link GmmGrad}, as an object {@code {"alpha","mu","q","l"}} in the parameters' shapes.
 */
public final class GmmEval extends Eval {

    public GmmEval() {
        super("gmm", "objective", "jacobian");
    }

    @Override
    public Call prepare(String function, JsonNode input) throws BadInput {
        Input.object(input);
        int d = Input.integerField(input, "d", 1, 1 << 16);
        int k = Input.integerField(input, "k", 1, 1 << 20);
        int n = Input.integerField(input, "n", 0, Integer.MAX_VALUE);
        double[][] x = Input.matrixField(input, "x", n, d);
        int m = Input.integerField(input, "m", 0, 1 << 20);
        double gamma = Input.numberField(input, "gamma");
        double[] alpha = Input.vectorField(input, "alpha", k);
        double[][] mu = Input.matrixField(input, "mu", k, d);
        double[][] q = Input.matrixField(input, "q", k, d);
        double[][] l = Input.matrixField(input, "l", k, d * (d - 1) / 2);
        if (function.equals("objective")) {
            return () -> Gmm.objective(alpha, mu, q, l, x, gamma, m);
        }
        GmmGrad.ObjectiveGradient out = new GmmGrad.ObjectiveGradient();
        return () -> {
            GmmGrad.objective(alpha, mu, q, l, x, gamma, m, out);
            Map<String, Object> gradient = new LinkedHashMap<>();
            gradient.put("alpha", out.alpha());
            gradient.put("mu", out.mu());
            gradient.put("q", out.q());
            gradient.put("l", out.l());
            return gradient;
        };
    }
}
