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

    private static final Callee DIRECTIONS_ARRAY = new Callee("dev.adjoint.runtime.Directions", "like",
            List.of(Ty.DOUBLE_ARRAY, Ty.INT), Ty.DOUBLE_MATRIX);
    private static final Callee DIRECTIONS_MATRIX = new Callee("dev.adjoint.runtime.Directions", "like",
            List.of(Ty.DOUBLE_MATRIX, Ty.INT), Ty.TENSOR3);

    private Shadows() {}

    /**
     * @return {@code Directions.like(array, width)}: zeros in the array's shape with a last dimension of
     *     {@code width}, one value per direction (vector mode, forward or reverse)
     */
    static Expr directionsLike(Expr array, Expr width) {
        return new Expr.Call(array.type() == Ty.DOUBLE_MATRIX ? DIRECTIONS_MATRIX : DIRECTIONS_ARRAY,
                List.of(array, width), Pos.NONE);
    }

    /** @return the type of a derivative of a value of type {@code t} carrying one value per direction */
    static Ty withDirections(Ty t) {
        return switch (t) {
            case DOUBLE -> Ty.DOUBLE_ARRAY;
            case DOUBLE_ARRAY -> Ty.DOUBLE_MATRIX;
            case DOUBLE_MATRIX -> Ty.TENSOR3;
            default -> throw new IllegalStateException("no derivative with directions of type " + t);
        };
    }

    /** @return whether {@code call} is {@link #zerosLike} */
    static boolean isZerosLike(Expr.Call call) {
        return call.callee().equals(LIKE_ARRAY) || call.callee().equals(LIKE_MATRIX);
    }

    /** @return {@code Buffers.like(array)}: a new zero array (or ragged matrix) of its shape */
    static Expr zerosLike(Expr array) {
        return new Expr.Call(array.type() == Ty.DOUBLE_MATRIX ? LIKE_MATRIX : LIKE_ARRAY, List.of(array), Pos.NONE);
    }
}
