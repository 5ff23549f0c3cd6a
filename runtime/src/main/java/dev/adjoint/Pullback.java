package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the reverse-mode derivative (the pullback, a vector-Jacobian product) of a static method, which Adjoint
 * then uses wherever differentiated code calls that method, instead of differentiating it. Modelled on JAX's
 * {@code custom_vjp}, Swift's {@code @derivative(of:)} and Clad's custom pullbacks.
 *
 * <p>For a method {@code static double f(p1, ..., pn)} whose {@code double} parameters are x1, ..., xk, the pullback
 * is a static, non-private method {@code name(p1, ..., pn, double yBar)} returning ȳ·∂f/∂x1 as a {@code double}
 * when k = 1, or the k values ȳ·∂f/∂xi as a {@code double[]} in parameter order when k > 1: it must be linear in
 * ȳ. Forward mode derives from it (Σ ∂f/∂xi · xiDot, each partial the pullback of ȳ = xiDot) unless a
 * {@link Pushforward} is declared too.
 * <pre>{@code
 * @Pullback(of = Erf.class, method = "erf")
 * static double erfPullback(double x, double yBar) {
 *     return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * yBar;
 * }
 * }</pre>
 * A signature that does not match is error ADJ036 at the rule.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Pullback {
    /** @return the class that declares the method */
    Class<?> of();

    /** @return the method's name; among overloads, the one whose parameters the rule's begin with */
    String method();
}
