package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Ty;
import java.util.List;

/** What both modes build for an array's derivative (its adjoint or its tangent): zeros in its shape. */
final class Shadows {
    private static final Callee LIKE_ARRAY = new Callee("dev.adjoint.runtime.Buffers", "like", List.of(Ty.DOUBLE_ARRAY),
            Ty.DOUBLE_ARRAY);
    private static final Callee LIKE_MATRIX = new Callee("dev.adjoint.runtime.Buffers", "like",
            List.of(Ty.DOUBLE_MATRIX), Ty.DOUBLE_MATRIX);

    private Shadows() {}

    /** @return {@code Buffers.like(array)}: a new zero array (or ragged matrix) of its shape */
    static Expr zerosLike(Expr array) {
        return new Expr.Call(array.type() == Ty.DOUBLE_MATRIX ? LIKE_MATRIX : LIKE_ARRAY, List.of(array), Pos.NONE);
    }
}
