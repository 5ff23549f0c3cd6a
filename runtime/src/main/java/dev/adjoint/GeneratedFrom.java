package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks code that Adjoint's annotation processor generated, and names what it was derived from. The processor writes
 * it; users do not.
 *
 * <p>On a generated class ({@code p.CGrad}), {@link #value()} is the binary name of the user's class ({@code p.C},
 * {@code p.Outer$Inner}) and {@link #version()} the version of Adjoint that wrote it, so a class left over from an
 * older version can be recognised. On a generated method, {@link #value()} is the user's method as
 * {@code name(parameter types)}, e.g. {@code loss(double[],double,double[][],double[])}.
 *
 * <p>Retention is {@code CLASS}: the marker is in the class file, where a later compilation (of code that calls a
 * generated class from a jar) and tools can read it, but costs nothing at run time. It lives in the runtime so that
 * generated code compiles in a named module that requires only {@code dev.adjoint.runtime}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface GeneratedFrom {

    /**
     * What the annotated code was derived from.
     *
     * @return on a class, the binary name of the user's class; on a method, the user's method as
     *         {@code name(parameter types)}
     */
    String value();

    /**
     * The version of Adjoint that generated the class (empty on methods).
     *
     * @return the processor's version, e.g. {@code 0.1.0}
     */
    String version() default "";
}
