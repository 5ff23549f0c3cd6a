package dev.adjoint.gradbench.lstm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adjoint.gradbench.BadInput;
import dev.adjoint.gradbench.Eval;
import dev.adjoint.gradbench.Input;

/**
 * Module {@code lstm}: {@code objective} is {@link Lstm#objective}; {@code jacobian} is its gradient from the
 * generated {@link LstmGrad}, flattened row by row: {@code main_params}' 8lb entries, then {@code extra_params}' 3b.
 */
public final class LstmEval extends Eval {

    public LstmEval() {
        super("lstm", "objective", "jacobian");
    }

    @Override
    public Call prepare(String function, JsonNode input) throws BadInput {
        Input.object(input);
        double[][] mainParams = Input.matrixField(input, "main_params", -1, -1);
        if (mainParams.length == 0 || mainParams.length % 2 != 0 || mainParams[0].length == 0
                || mainParams[0].length % 4 != 0) {
            throw new BadInput("input.main_params must have 2l rows of 4b numbers (l, b ≥ 1)");
        }
        int layers = mainParams.length / 2;
        int b = mainParams[0].length / 4;
        double[][] extraParams = Input.matrixField(input, "extra_params", 3, b);
        double[][] state = Input.matrixField(input, "state", 2 * layers, b);
        double[][] sequence = Input.matrixField(input, "sequence", -1, b);
        if (sequence.length < 2) {
            throw new BadInput("input.sequence must have at least 2 characters");
        }
        if (function.equals("objective")) {
            return () -> Lstm.objective(mainParams, extraParams, state, sequence);
        }
        LstmGrad.ObjectiveGradient out = new LstmGrad.ObjectiveGradient();
        double[] flat = new double[8 * layers * b + 3 * b];
        return () -> {
            LstmGrad.objective(mainParams, extraParams, state, sequence, out);
            int at = 0;
            for (double[] row : out.mainParams()) {
                System.arraycopy(row, 0, flat, at, row.length);
                at += row.length;
            }
            for (double[] row : out.extraParams()) {
                System.arraycopy(row, 0, flat, at, row.length);
                at += row.length;
            }
            return flat.clone();
        };
    }
}
