package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the forward-mode derivative (the pushforward, a Jacobian-vector product) of a static method, which Adjoint
 * then uses wherever differentiated code calls that method, instead of differentiating it (a library function with
 * no source here, or one of the user's own whose derived derivative is unstable). Modelled on JAX's
 * {@code custom_jvp}, Swift's {@code @derivative(of:)} and Clad's custom pushforwards.
 *
 * <p>For a method {@code static double f(p1, ..., pn)} whose {@code double} parameters are x1, ..., xk (its other
 * parameters, of type {@code int}, {@code long} or {@code boolean}, have no derivative), the pushforward is a
 * static, non-private method {@code static double name(p1, ..., pn, double x1Dot, ..., double xkDot)} returning
 * Σ ∂f/∂xi · xiDot: it must be linear in the tangents. Reverse mode derives from it (∂f/∂xi is the pushforward
 * with the unit tangent of xi) unless a {@link Pullback} is declared too.
 * <pre>{@code
 * @Pushforward(of = Erf.class, method = "erf")
 * static double erfPushforward(double x, double xDot) {
 *     return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * xDot;
 * }
 * }</pre>
 * A signature that does not match is error ADJ036 at the rule.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Pushforward {
    /** @return the class that declares the method */
    Class<?> of();

    /** @return the method's name; among overloads, the one whose parameters the rule's begin with */
    String method();
}
