package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method whose gradient Adjoint's annotation processor writes at compile time.
 *
 * <p>For a class {@code p.C}, the processor writes {@code p.CGrad} with, for each annotated method {@code f},
 * a method {@code f} of the same parameters that returns the value of {@code f} and its partial derivatives with
 * respect to the parameters named by {@link #wrt()}, each in the shape of its parameter.
 *
 * <p>Retention is {@code CLASS} so that incremental build tools, which only see class-file annotations,
 * know that the class takes part in annotation processing.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Differentiable {

    /**
     * The parameters to differentiate with respect to, by name. Empty (the default) means every parameter of
     * type {@code double}, {@code double[]} or {@code double[][]}. A name that is not a parameter, or that names a
     * parameter of another type, is a compile error.
     *
     * @return the names of the parameters to differentiate with respect to
     */
    String[] wrt() default {};

    /**
     * Whether to explain this method's derivatives: the processor then writes, beside the generated sources, a page
     * {@code <Class>Grad.explain.html} that derives them as Parr and Howard teach (intermediate variables, their
     * partial derivatives, the chain rule, the result after substitution) with the method's data-flow graph. The
     * processor option {@code -Aadjoint.explain=true} explains every method of the build. Nothing else changes:
     * the generated code is the same either way.
     *
     * @return whether to write the explanation
     */
    boolean explain() default false;
}
