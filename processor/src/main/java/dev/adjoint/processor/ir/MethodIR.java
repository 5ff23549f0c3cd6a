package dev.adjoint.processor.ir;

import java.util.List;

/**
 * One {@code @Differentiable} method, parsed.
 *
 * @param name       the method's name
 * @param params     its parameters, in order
 * @param wrt        the parameters to differentiate with respect to, in parameter order
 * @param returnType the result type: {@link Ty#DOUBLE} or {@link Ty#DOUBLE_ARRAY}
 * @param body       its body
 * @param ownerCanonicalName the canonical name of the class that declares it, e.g. {@code p.Outer.Inner}
 * @param pos        the method's position
 * @param receiver   for an instance method, its object and the fields it reads (their symbols are the first
 *                   {@code params}); null for a static method
 */
public record MethodIR(
        String name,
        List<Sym> params,
        List<Sym> wrt,
        Ty returnType,
        Stmt.Block body,
        String ownerCanonicalName,
        Pos pos,
        Receiver receiver) {
    /** A static method. */
    public MethodIR(String name, List<Sym> params, List<Sym> wrt, Ty returnType, Stmt.Block body,
            String ownerCanonicalName, Pos pos) {
        this(name, params, wrt, returnType, body, ownerCanonicalName, pos, null);
    }

    /** @return the method's own parameters, as declared: {@link #params()} without the receiver's fields */
    public List<Sym> ownParams() {
        if (receiver == null) {
            return params;
        }
        return params.stream().filter(p -> receiver.fieldOf(p) == null).toList();
    }

    /** @return how the user writes a parameter: its name, or {@code this.w} for a field of the receiver */
    public String written(Sym p) {
        Receiver.Field f = receiver == null ? null : receiver.fieldOf(p);
        return f == null ? p.name() : "this." + f.field();
    }
}
