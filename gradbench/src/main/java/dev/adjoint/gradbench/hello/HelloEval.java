package dev.adjoint.gradbench.hello;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adjoint.gradbench.BadInput;
import dev.adjoint.gradbench.Eval;
import dev.adjoint.gradbench.Input;

/** Module {@code hello}: the input is a bare number x; {@code square} gives x², {@code double} gives d(x²)/dx. */
public final class HelloEval extends Eval {

    public HelloEval() {
        super("hello", "square", "double");
    }

    @Override
    public Call prepare(String function, JsonNode input) throws BadInput {
        double x = Input.number(input, "input");
        return function.equals("square") ? () -> Hello.square(x) : () -> HelloGrad.square(x).x();
    }
}
