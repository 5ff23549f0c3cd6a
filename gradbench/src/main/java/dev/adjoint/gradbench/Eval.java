package dev.adjoint.gradbench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One GradBench module (an eval's functions) as the tool implements it. {@link #prepare} reads an input outside the
 * timed region; the {@link Call} it returns is what the harness times.
 */
public interface Eval {

    /** The module's name, as in GradBench's {@code define} message ({@code "gmm"}). */
    String module();

    /** The functions of the module, in the eval's order ({@code "objective", "jacobian"}). */
    List<String> functions();

    /**
     * Reads {@code input} for {@code function} (one of {@link #functions()}) into the arrays the computation needs.
     *
     * @throws BadInput if the input does not have the shape the eval defines, or holds a non-finite number
     */
    Call prepare(String function, JsonNode input) throws BadInput;

    /** A prepared computation: {@link #run()} is timed; its result is written once, after the last run. */
    @FunctionalInterface
    interface Call {
        /**
         * Runs the function once and returns its output as {@link Output} writes it: a {@code Double}, a
         * {@code double[]}, {@code double[][]}, {@code int[]}, or a {@code Map<String, ?>} of those.
         */
        Object run();
    }
}
