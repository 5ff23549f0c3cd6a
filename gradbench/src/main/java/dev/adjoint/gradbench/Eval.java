package dev.adjoint.gradbench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One GradBench module (an eval's functions) as the tool implements it. {@link #prepare} reads an input outside the
 * timed region; the {@link Call} it returns is what the harness times.
 */
public abstract class Eval {
    private final String module;
    private final List<String> functions;

    /** A module and its functions, in the eval's order ({@code "gmm", "objective", "jacobian"}). */
    protected Eval(String module, String... functions) {
        this.module = module;
        this.functions = List.of(functions);
    }

    /** The module's name, as in GradBench's {@code define} message ({@code "gmm"}). */
    public final String module() {
        return module;
    }

    /** The functions of the module, in the eval's order ({@code "objective", "jacobian"}). */
    public final List<String> functions() {
        return functions;
    }

    /**
     * Reads {@code input} for {@code function} (one of {@link #functions()}) into the arrays the computation needs.
     *
     * @throws BadInput if the input does not have the shape the eval defines, or holds a non-finite number
     */
    public abstract Call prepare(String function, JsonNode input) throws BadInput;

    /** A prepared computation: {@link #run()} is timed; its result is written once, after the last run. */
    @FunctionalInterface
    public interface Call {
        /**
         * Runs the function once and returns its output as {@link Output} writes it: a {@code Double}, a
         * {@code double[]}, {@code double[][]}, {@code int[]}, or a {@code Map<String, ?>} of those.
         */
        Object run();
    }
}
