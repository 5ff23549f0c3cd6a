package dev.adjoint.processor.ir;

import java.util.List;

/**
 * What to differentiate and how: the one input of the pipeline after parsing. A new kind of derivative (a JVP, a
 * Jacobian, a VJP, a pullback for a caller, a Hessian-vector product) is a new {@link Mode} and a new rendering of
 * the same IR, not a new special case in the stages.
 *
 * @param method the parsed method
 * @param mode   which derivative
 * @param wrt    the parameters to differentiate with respect to, in parameter order
 * @param seed   the shape of the seed the derivative is started with
 */
public record DerivativeRequest(MethodIR method, Mode mode, List<Sym> wrt, Seed seed) {
    /** The kinds of derivative. */
    public enum Mode {
        /** The gradient of a {@code double} result: one reverse sweep seeded with 1. */
        GRADIENT,
        /** A Jacobian-vector product: one forward sweep carrying the tangents the caller gives. */
        JVP,
        /** A vector-Jacobian product ȳᵀ·J of a {@code double[]} result: one reverse sweep seeded with ȳ. */
        VJP,
        /**
         * Jacobian columns J·Ẋ for a block of directions Ẋ at once: one forward sweep in vector mode, each tangent
         * carrying one value per direction.
         */
        JVP_DIRECTIONS,
        /**
         * All rows of the Jacobian of a {@code double[]} result at once: one forward sweep and one reverse sweep in
         * vector mode, each adjoint carrying one value per output, seeded with the unit vectors.
         */
        VJP_DIRECTIONS,
        /**
         * The pullback of a {@code double} result for a caller: one reverse sweep seeded with a caller-given ȳ,
         * returning ȳ·∂f/∂x for each differentiated parameter (the entry point other differentiated code calls).
         */
        PULLBACK
    }

    /** The shape of the seed: what {@code resultBar} (reverse) or the tangents (forward) start as. */
    public enum Seed {
        /** The scalar 1.0, for the gradient of a {@code double} result. */
        SCALAR_ONE,
        /** One tangent per differentiated parameter, in its shape, given by the caller. */
        TANGENTS,
        /** A {@code double[]} ȳ of the result's length, given by the caller. */
        VECTOR,
        /** Per differentiated parameter, its tangents along each of a number of directions. */
        DIRECTIONS,
        /** The unit vectors e_0, ..., e_{m-1} of the result's space, one per adjoint direction. */
        UNITS,
        /** A {@code double} ȳ given by the caller, the adjoint of a {@code double} result. */
        SCALAR
    }

    public DerivativeRequest {
        wrt = List.copyOf(wrt);
    }

    /** @return the request for the gradient of a {@code double}-valued method, as {@code @Differentiable} asks */
    public static DerivativeRequest gradient(MethodIR method) {
        return new DerivativeRequest(method, Mode.GRADIENT, method.wrt(), Seed.SCALAR_ONE);
    }

    /** @return the request for ȳᵀ·J of a {@code double[]}-valued method, along a caller-given ȳ */
    public static DerivativeRequest vjp(MethodIR method) {
        return new DerivativeRequest(method, Mode.VJP, method.wrt(), Seed.VECTOR);
    }

    /** @return the request for Jacobian columns along many directions in one forward sweep */
    public static DerivativeRequest jvpDirections(MethodIR method) {
        return new DerivativeRequest(method, Mode.JVP_DIRECTIONS, method.wrt(), Seed.DIRECTIONS);
    }

    /** @return the request for all Jacobian rows in one forward and one reverse sweep */
    public static DerivativeRequest vjpDirections(MethodIR method) {
        return new DerivativeRequest(method, Mode.VJP_DIRECTIONS, method.wrt(), Seed.UNITS);
    }

    /**
     * @return the request for the pullback of a {@code double}-valued method with respect to {@code wrt}, along a
     *     caller-given ȳ
     */
    public static DerivativeRequest pullback(MethodIR method) {
        return new DerivativeRequest(method, Mode.PULLBACK, method.wrt(), Seed.SCALAR);
    }

    /** @return the request for the directional derivative along caller-given tangents of the wrt parameters */
    public static DerivativeRequest jvp(MethodIR method) {
        return new DerivativeRequest(method, Mode.JVP, method.wrt(), Seed.TANGENTS);
    }
}
