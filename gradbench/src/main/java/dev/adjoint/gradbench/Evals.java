package dev.adjoint.gradbench;

import dev.adjoint.gradbench.ba.BaEval;
import dev.adjoint.gradbench.det.DetEval;
import dev.adjoint.gradbench.gmm.GmmEval;
import dev.adjoint.gradbench.hello.HelloEval;
import dev.adjoint.gradbench.ht.HtEval;
import dev.adjoint.gradbench.llsq.LlsqEval;
import dev.adjoint.gradbench.lse.LseEval;
import dev.adjoint.gradbench.lstm.LstmEval;
import dev.adjoint.gradbench.ode.OdeEval;
import java.util.List;
import java.util.Map;

/** The modules the tool implements, and those it declines with a reason. */
public final class Evals {
    private Evals() {
    }

    /** The modules that need second-order derivatives, which come later: what each needs. */
    public static final Map<String, String> SECOND_ORDER = Map.of(
            "kmeans", "a Hessian diagonal (the Newton direction)",
            "particle", "nested derivatives (a gradient inside the objective of a gradient descent)",
            "saddle", "nested derivatives (a gradient descent inside the objective of another)");

    /** One instance of each implemented module. */
    public static List<Eval> all() {
        return List.of(new HelloEval(), new LlsqEval(), new LseEval(), new OdeEval(), new DetEval(), new GmmEval(),
                new LstmEval(), new BaEval(), new HtEval());
    }
}
