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
 */
public record MethodIR(
        String name,
        List<Sym> params,
        List<Sym> wrt,
        Ty returnType,
        Stmt.Block body,
        String ownerCanonicalName,
        Pos pos) {}
