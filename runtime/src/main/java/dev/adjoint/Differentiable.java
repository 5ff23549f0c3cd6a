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
}
