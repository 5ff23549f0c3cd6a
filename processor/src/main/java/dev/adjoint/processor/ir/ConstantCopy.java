package dev.adjoint.processor.ir;

/**
 * A {@code static final} constant of the user's class that the generated class cannot read (it is private) and
 * that is not a compile-time constant ({@code private static final double SQRT_TWO = Math.sqrt(2.0);}, a private
 * table): the generated class declares its own copy, computed by the same initializer, and reads that.
 *
 * @param name the constant's name, kept in the generated class
 * @param type its type
 * @param init its initializer, as IR (constants and Math functions only)
 */
public record ConstantCopy(String name, Ty type, Expr init) {
    /** The owner of a {@link Expr.StaticField} that reads a copy: the generated class itself. */
    public static final String GENERATED_CLASS = "<generated>";
}
